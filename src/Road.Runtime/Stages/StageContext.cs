using Road.Data;
using Road.Distillation;
using Road.Distributed;
using Road.Pipeline;
using Road.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Stages;

/// <summary>
/// What every stage receives from its run: the experiment, its data, where tensors live and files go, how to train,
/// and the stores earlier stages filled (trained encoders, teachers' soft targets, features). A stage reads its
/// inputs from here and leaves its outputs here and in its folder, <c>stages/&lt;stage&gt;/</c>.
/// </summary>
public sealed class StageContext(ExperimentSpec spec, DataCatalog data, FeatureStore features, InitialEncoder initial, Device device,
    ITrainingProgress progress, RunFolder folder, int seed, Precision precision = Precision.Float32, int checkpointEvery = 0, IProcessGroup? group = null,
    TeacherEncoders? teacherEncoders = null)
{
    private int _index;

    public ExperimentSpec Spec { get; } = spec;
    public DataCatalog Data { get; } = data;
    public Device Device { get; } = device;
    public ITrainingProgress Progress { get; } = progress;
    public RunFolder Folder { get; } = folder;
    public Precision Precision { get; } = precision;

    /// <summary>The ranks training loops share batches with (one process unless launched data-parallel).</summary>
    public IProcessGroup Group { get; } = group ?? SingleProcess.Instance;

    /// <summary>Steps between training checkpoints (0: none).</summary>
    public int CheckpointEvery { get; } = checkpointEvery;

    public FeatureStore Features { get; } = features;
    public EncoderStore Encoders { get; } = new(initial, folder);
    public TeacherStore Teachers { get; private init; } = new();

    /// <summary>The encoders teachers of other families or sizes are finetuned from.</summary>
    public TeacherEncoders TeacherEncoders { get; } = teacherEncoders ?? new(spec, data);

    /// <summary>This stage's context as a teacher of another encoder sees it: that encoder's initial weights and the
    /// features of its tokenizer, the same run, stores and seed otherwise.</summary>
    public StageContext For(TeacherModel teacher) =>
        new(Spec, Data, teacher.Features, teacher.Initial, Device, Progress, Folder, seed, Precision, CheckpointEvery, Group, TeacherEncoders)
        {
            Teachers = Teachers,
            _index = _index,
            StageName = StageName,
        };

    /// <summary>The stage running now, named as in the plan.</summary>
    public string StageName { get; private set; } = "";

    /// <summary>The seed of the stage running now: the run's seed plus 1000 per stage before it.</summary>
    public int StageSeed => SeedOf(seed, _index);

    public static int SeedOf(int runSeed, int stageIndex) => runSeed + 1000 * stageIndex;

    /// <summary>Names the stage about to run and seeds the torch generator with its seed.</summary>
    public void BeginStage(int index, string name)
    {
        (_index, StageName) = (index, name);
        torch.manual_seed(StageSeed);
    }

    /// <summary>A file of the current stage's folder.</summary>
    public string StageFile(params string[] parts) => Folder.File(["stages", StageName, .. parts]);

    /// <summary>The current stage's training checkpoint: read by every rank, written by the one that writes the folder.</summary>
    public TrainingCheckpoint Checkpoint() => new(StageFile("checkpoint"), Folder.Writes);

    /// <summary>Writes a training stage's steps as <c>losses.tsv</c> in its folder (the learning curve): each step's
    /// loss, learning rate and gradient norm before clipping.</summary>
    public void WriteLosses(TrainingSummary summary)
    {
        if (!Folder.Writes) return;
        var lines = summary.History.Select((r, i) => FormattableString.Invariant($"{i + 1}\t{r.Loss:R}\t{r.LearningRate:R}\t{r.GradientNorm:R}"));
        AtomicFile.WriteAllText(StageFile(LossesFile), string.Join("\n", lines.Prepend("step\tloss\tlearning_rate\tgrad_norm")) + "\n");
    }

    public const string LossesFile = "losses.tsv";

    /// <summary>Takes back what a stage finished in an earlier, interrupted run left: its encoder and, for a teacher,
    /// its soft targets.</summary>
    public void Restore(StageResult result)
    {
        Encoders.Restore(result.Stage);
        if (result.Role != StageRole.Teacher) return;
        Teachers.Add(result.Task, SoftTargets.Load(TeacherStage.TargetsFile(Folder, result.Stage)));
    }
}
