using Road.Data;
using Road.Pipeline;

namespace Road.Tests;

/// <summary>
/// tiny-distil's smaller student at the size CI can afford: a one-layer ELECTRA starts from the embeddings and first
/// layer of tiny-distil's first two-layer teacher (DistilBERT's start) and learns by KD from it; baseline: the same
/// student from scratch. Training that teacher takes longer than CI has, so it starts from the encoder tiny-distil's
/// first teacher trained (<see cref="Teacher"/>; Fixtures/teachers/PROVENANCE.md says how it was made) and one epoch
/// gives it a head again.
/// </summary>
[Experiment("distil-student-check", Description = "A one-layer student from tiny-distil's two-layer ELECTRA teacher's first layer, with KD, against the student from scratch.", Seed = 17, Runs = 3)]
[Encoder(EncoderFamily.Electra, EmbeddingSize = 64, HiddenSize = 64, Layers = 1, Heads = 4, IntermediateSize = 128, MaxPositions = 64, Dropout = 0.0)]
[TeacherEncoder("large", EncoderFamily.Electra, Checkpoint = Teacher)]
public partial class DistilStudentCheck
{
    /// <summary>The teacher encoder's folder, relative to the test assembly.</summary>
    public const string Teacher = "Fixtures/teachers/tiny-distil-electra";

    [MrcTask(DataFormat.Toy, "toy/facts-mrc", Dev = "toy/facts-mrc", MaxTrainExamples = 4000, MaxLength = 40, Stride = 8, MaxQueryLength = 12)]
    [Teacher(Encoder = "large", Epochs = 1, LearningRate = 1e-3)]
    public partial MrcDataset FactsMrc { get; }

    [Finetune(nameof(FactsMrc), Row = "single", Epochs = 8, LearningRate = 1e-3)]
    public partial StageSpec Single { get; }

    [Finetune(nameof(FactsMrc), Row = "distilled", Epochs = 8, LearningRate = 1e-3, FromTeacher = "large", TeacherLayers = new[] { 0 })]
    [KnowledgeDistillation]
    public partial StageSpec Distilled { get; }
}
