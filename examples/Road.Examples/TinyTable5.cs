using Road.Data;
using Road.Pipeline;

namespace Road.Examples;

/// <summary>
/// The CPU-sized analogue of the paper's Table 5 on the toy MRC task: finetuning alone (single), distilling from the
/// mean of three teachers (ensemble), from one teacher (kd), with teacher annealing (annealing), and with weighted KD
/// over three teachers (weighted-kd).
/// </summary>
[Experiment("tiny-table5", Description = "Table 5 on toy data: single, ensemble, KD, annealing and weighted KD finetuning.", Seed = 13)]
[Encoder(EncoderFamily.Electra, EmbeddingSize = 64, HiddenSize = 64, Layers = 2, Heads = 4, IntermediateSize = 128, MaxPositions = 64, Dropout = 0.0)]
public partial class TinyTable5
{
    [MrcTask(DataFormat.Toy, "toy/facts-mrc", Dev = "toy/facts-mrc", MaxTrainExamples = 8000, MaxLength = 40, Stride = 8, MaxQueryLength = 12)]
    [Teacher(Seeds = 3, Epochs = 12, LearningRate = 1e-3)]
    public partial MrcDataset FactsMrc { get; }

    [Finetune(nameof(FactsMrc), Row = "single", Epochs = 12, LearningRate = 1e-3)]
    public partial StageSpec Single { get; }

    [Finetune(nameof(FactsMrc), Row = "ensemble", Epochs = 12, LearningRate = 1e-3)]
    [TeacherEnsemble(Teachers = 3)]
    public partial StageSpec Ensemble { get; }

    [Finetune(nameof(FactsMrc), Row = "kd", Epochs = 12, LearningRate = 1e-3)]
    [KnowledgeDistillation]
    public partial StageSpec Kd { get; }

    [Finetune(nameof(FactsMrc), Row = "annealing", Epochs = 12, LearningRate = 1e-3)]
    [TeacherAnnealing(Teachers = 3)]
    public partial StageSpec Annealing { get; }

    [Finetune(nameof(FactsMrc), Row = "weighted-kd", Epochs = 12, LearningRate = 1e-3)]
    [WeightedKd(W = 0.5, Teachers = 3)]
    public partial StageSpec WeightedKd { get; }
}
