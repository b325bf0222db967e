using Road.Data;
using Road.Pipeline;

namespace Road.Tests;

/// <summary>
/// tiny-distil at the size CI can afford: its one-layer student of hidden size 32 (12,099 parameters with its head)
/// learns by KD from one of its teachers (ELECTRA, two layers, hidden 64: 74,051). Training that teacher from scratch
/// takes longer than CI has, so it starts from the encoder tiny-distil's first teacher trained (<see cref="Teacher"/>;
/// Fixtures/teachers/PROVENANCE.md says how it was made) and one epoch gives it a head again. Baseline: the student
/// alone.
/// </summary>
[Experiment("distil-kd-check", Description = "KD from tiny-distil's ELECTRA 2x64 teacher into its 1x32 student.", Seed = 17, Runs = 3)]
[Encoder(EncoderFamily.Electra, EmbeddingSize = 32, HiddenSize = 32, Layers = 1, Heads = 2, IntermediateSize = 64, MaxPositions = 64, Dropout = 0.0)]
[TeacherEncoder("large", EncoderFamily.Electra, Checkpoint = Teacher)]
public partial class DistilKdCheck
{
    /// <summary>The teacher encoder's folder, relative to the test assembly.</summary>
    public const string Teacher = "Fixtures/teachers/tiny-distil-electra";

    [MrcTask(DataFormat.Toy, "toy/facts-mrc", Dev = "toy/facts-mrc", MaxTrainExamples = 4000, MaxLength = 40, Stride = 8, MaxQueryLength = 12)]
    [Teacher(Encoder = "large", Epochs = 1, LearningRate = 1e-3)]
    public partial MrcDataset FactsMrc { get; }

    [Finetune(nameof(FactsMrc), Row = "single", Epochs = 8, LearningRate = 1e-3)]
    public partial StageSpec Single { get; }

    [Finetune(nameof(FactsMrc), Row = "kd", Epochs = 8, LearningRate = 1e-3)]
    [KnowledgeDistillation]
    public partial StageSpec Kd { get; }
}
