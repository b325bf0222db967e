using Road.Data;
using Road.Pipeline;

namespace Road.Examples;

/// <summary>
/// The CPU-sized analogue of road-hetero on the toy MRC task: a tiny ELECTRA student reading whole words learns by
/// weighted KD from three teachers of different families, two of which (BERT and ALBERT) read the text cut into
/// two-letter pieces, so their span distributions are mapped onto the student's tokens. Baseline: the student alone.
/// </summary>
[Experiment("tiny-hetero", Description = "road-hetero on toy data: weighted KD from ELECTRA, BERT and ALBERT teachers of other tokenizations.", Seed = 17, Runs = 3)]
[Encoder(EncoderFamily.Electra, EmbeddingSize = 64, HiddenSize = 64, Layers = 2, Heads = 4, IntermediateSize = 128, MaxPositions = 64, Dropout = 0.0)]
[TeacherEncoder("bert", EncoderFamily.Bert, Vocabulary = "toy/pieces", HiddenSize = 64, EmbeddingSize = 64, Layers = 2, Heads = 4, IntermediateSize = 128, MaxPositions = 128, Dropout = 0.0)]
[TeacherEncoder("albert", EncoderFamily.Albert, Vocabulary = "toy/pieces", HiddenSize = 64, EmbeddingSize = 32, Layers = 2, Heads = 4, IntermediateSize = 128, MaxPositions = 128, Dropout = 0.0)]
public partial class TinyHetero
{
    [MrcTask(DataFormat.Toy, "toy/facts-mrc", Dev = "toy/facts-mrc", MaxTrainExamples = 4000, MaxLength = 40, Stride = 8, MaxQueryLength = 12)]
    [Teacher(Epochs = 12, LearningRate = 1e-3)]
    [Teacher(Encoder = "bert", Epochs = 12, LearningRate = 1e-3)]
    [Teacher(Encoder = "albert", Epochs = 12, LearningRate = 1e-3)]
    public partial MrcDataset FactsMrc { get; }

    [Finetune(nameof(FactsMrc), Row = "single", Epochs = 6, LearningRate = 1e-3)]
    public partial StageSpec Single { get; }

    [Finetune(nameof(FactsMrc), Row = "weighted-kd", Epochs = 6, LearningRate = 1e-3)]
    [WeightedKd(W = 0.5, Teachers = 3)]
    public partial StageSpec WeightedKd { get; }
}
