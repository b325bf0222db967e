using Road.Data;
using Road.Pipeline;

namespace Road.Examples;

/// <summary>
/// The CPU-sized analogue of road-distil-base on the toy MRC task: three teachers of a larger ELECTRA (two layers)
/// teach a one-layer student by weighted KD. The student starts from its first teacher's embeddings and first layer
/// (DistilBERT's start for a smaller student); baselines: the student from scratch, and from the teacher's layer
/// without distillation.
/// </summary>
[Experiment("tiny-distil", Description = "road-distil-base on toy data: weighted KD from larger ELECTRA teachers into a smaller student.", Seed = 19, Runs = 3)]
[Encoder(EncoderFamily.Electra, EmbeddingSize = 64, HiddenSize = 64, Layers = 1, Heads = 4, IntermediateSize = 128, MaxPositions = 64, Dropout = 0.0)]
[TeacherEncoder("large", EncoderFamily.Electra, HiddenSize = 64, EmbeddingSize = 64, Layers = 2, Heads = 4, IntermediateSize = 128, MaxPositions = 64, Dropout = 0.0)]
public partial class TinyDistil
{
    [MrcTask(DataFormat.Toy, "toy/facts-mrc", Dev = "toy/facts-mrc", MaxTrainExamples = 4000, MaxLength = 40, Stride = 8, MaxQueryLength = 12)]
    [Teacher(Encoder = "large", Seeds = 3, Epochs = 36, LearningRate = 1e-3)]
    public partial MrcDataset FactsMrc { get; }

    [Finetune(nameof(FactsMrc), Row = "single", Epochs = 8, LearningRate = 1e-3)]
    public partial StageSpec Single { get; }

    [Finetune(nameof(FactsMrc), Row = "from teacher layer", Epochs = 8, LearningRate = 1e-3, FromTeacher = "large", TeacherLayers = new[] { 0 })]
    public partial StageSpec FromTeacher { get; }

    [Finetune(nameof(FactsMrc), Row = "weighted-kd", Epochs = 8, LearningRate = 1e-3, FromTeacher = "large", TeacherLayers = new[] { 0 })]
    [WeightedKd(W = 0.5, Teachers = 3)]
    public partial StageSpec WeightedKd { get; }
}
