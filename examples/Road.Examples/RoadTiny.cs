using Road.Data;
using Road.Pipeline;

namespace Road.Examples;

/// <summary>
/// The tiny default: a small ELECTRA-shaped encoder trained from scratch, with a fixed seed, on two toy tasks that
/// need no download: span extraction with unanswerable questions (SQuAD 2.0's shape) and three-way sentence-pair
/// classification (MNLI's shape). Finishes in a few minutes on a 2-core CPU.
/// </summary>
[Experiment("road-tiny", Description = "Tiny ELECTRA from scratch on the toy MRC and NLI tasks; the default of RunExperiment.", Seed = 13)]
[Encoder(EncoderFamily.Electra, EmbeddingSize = 64, HiddenSize = 64, Layers = 2, Heads = 4, IntermediateSize = 128, MaxPositions = 64, Dropout = 0.0)]
public partial class RoadTiny
{
    [MrcTask(DataFormat.Toy, "toy/facts-mrc", Dev = "toy/facts-mrc", MaxTrainExamples = 8000, MaxLength = 40, Stride = 8, MaxQueryLength = 12)]
    public partial MrcDataset FactsMrc { get; }

    [NliTask(DataFormat.Toy, "toy/facts-nli", Dev = "toy/facts-nli", MaxTrainExamples = 8000, MaxLength = 24)]
    public partial PairDataset FactsNli { get; }

    [Finetune(nameof(FactsMrc), Epochs = 12, BatchSize = 32, LearningRate = 1e-3)]
    public partial StageSpec FinetuneMrc { get; }

    [Finetune(nameof(FactsNli), Epochs = 24, BatchSize = 32, LearningRate = 5e-4)]
    public partial StageSpec FinetuneNli { get; }
}
