using Road.Data;
using Road.Pipeline;

namespace Road.Examples;

/// <summary>
/// The CPU-sized analogue of the paper's Table 4 on the toy tasks: finetuning from the fresh encoder (baseline), after
/// multi-task pretraining (mtl), and after multi-task pretraining with knowledge distillation from one teacher per
/// dataset (mtl+kd). Each row finetunes both target tasks.
/// </summary>
[Experiment("tiny-table4", Description = "Table 4 on toy data: baseline vs MTL vs MTL+KD, then finetuning.", Seed = 13)]
[Encoder(EncoderFamily.Electra, EmbeddingSize = 64, HiddenSize = 64, Layers = 2, Heads = 4, IntermediateSize = 128, MaxPositions = 64, Dropout = 0.0)]
public partial class TinyTable4
{
    [MrcTask(DataFormat.Toy, "toy/facts-mrc", Dev = "toy/facts-mrc", MaxTrainExamples = 8000, MaxLength = 40, Stride = 8, MaxQueryLength = 12)]
    [Teacher(Seeds = 1, Epochs = 12, LearningRate = 1e-3)]
    public partial MrcDataset FactsMrc { get; }

    [NliTask(DataFormat.Toy, "toy/facts-nli", Dev = "toy/facts-nli", MaxTrainExamples = 8000, MaxLength = 24)]
    [Teacher(Seeds = 1, Epochs = 24, LearningRate = 5e-4)]
    public partial PairDataset FactsNli { get; }

    [MultiTaskPretraining(Steps = 3000, BatchSize = 32, ExamplesPerPass = 8, LearningRate = 1e-3, LayerDecay = 1.0)]
    public partial StageSpec Mtl { get; }

    [MultiTaskPretraining(Steps = 3000, BatchSize = 32, ExamplesPerPass = 8, LearningRate = 1e-3, LayerDecay = 1.0)]
    [KnowledgeDistillation(Temperature = 2, Alpha = 0.5)]
    public partial StageSpec MtlKd { get; }

    [Finetune(nameof(FactsMrc), Row = "baseline", Epochs = 8, LearningRate = 1e-3)]
    public partial StageSpec BaselineMrc { get; }

    [Finetune(nameof(FactsNli), Row = "baseline", Epochs = 12, LearningRate = 5e-4)]
    public partial StageSpec BaselineNli { get; }

    [Finetune(nameof(FactsMrc), Row = "mtl", From = nameof(Mtl), Epochs = 8, LearningRate = 1e-3, LayerDecay = 0.9)]
    public partial StageSpec MtlMrc { get; }

    [Finetune(nameof(FactsNli), Row = "mtl", From = nameof(Mtl), Epochs = 12, LearningRate = 5e-4, LayerDecay = 0.9)]
    public partial StageSpec MtlNli { get; }

    [Finetune(nameof(FactsMrc), Row = "mtl+kd", From = nameof(MtlKd), Epochs = 8, LearningRate = 1e-3, LayerDecay = 0.9)]
    public partial StageSpec MtlKdMrc { get; }

    [Finetune(nameof(FactsNli), Row = "mtl+kd", From = nameof(MtlKd), Epochs = 12, LearningRate = 5e-4, LayerDecay = 0.9)]
    public partial StageSpec MtlKdNli { get; }
}
