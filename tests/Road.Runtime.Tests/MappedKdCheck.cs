using Road.Data;
using Road.Pipeline;

namespace Road.Tests;

/// <summary>
/// tiny-hetero's student and its BERT teacher at the size CI can afford: the word-level ELECTRA student learns by KD
/// from one BERT teacher that reads the toy text cut into two-letter pieces, so every soft target it gives has been
/// mapped onto the student's tokens. Training that teacher from scratch takes longer than CI has, so it starts from
/// the encoder tiny-hetero's BERT teacher trained (<see cref="Teacher"/>; Fixtures/teachers/PROVENANCE.md says how it
/// was made) and one epoch gives it a head again. Baseline: the student alone.
/// </summary>
[Experiment("mapped-kd-check", Description = "KD through mapped span targets from tiny-hetero's BERT teacher (toy/pieces) into its ELECTRA student.", Seed = 17, Runs = 3)]
[Encoder(EncoderFamily.Electra, EmbeddingSize = 64, HiddenSize = 64, Layers = 2, Heads = 4, IntermediateSize = 128, MaxPositions = 64, Dropout = 0.0)]
[TeacherEncoder("bert", EncoderFamily.Bert, Checkpoint = Teacher)]
public partial class MappedKdCheck
{
    /// <summary>The teacher encoder's folder, relative to the test assembly.</summary>
    public const string Teacher = "Fixtures/teachers/tiny-hetero-bert";

    [MrcTask(DataFormat.Toy, "toy/facts-mrc", Dev = "toy/facts-mrc", MaxTrainExamples = 4000, MaxLength = 40, Stride = 8, MaxQueryLength = 12)]
    [Teacher(Encoder = "bert", Epochs = 1, LearningRate = 1e-3)]
    public partial MrcDataset FactsMrc { get; }

    [Finetune(nameof(FactsMrc), Row = "single", Epochs = 8, LearningRate = 1e-3)]
    public partial StageSpec Single { get; }

    [Finetune(nameof(FactsMrc), Row = "kd", Epochs = 8, LearningRate = 1e-3)]
    [KnowledgeDistillation]
    public partial StageSpec Kd { get; }
}
