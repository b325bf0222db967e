using Road.Examples.Generated;
using Road.Pipeline;
using Road.Training;

namespace Road.Tests;

/// <summary>
/// Shortened variants of the example experiments: fewer training examples, epochs and multi-task steps, so that a
/// test runs every stage in seconds. Learning checks use variants long enough to learn; reproducibility and resume
/// checks use a few steps.
/// </summary>
internal static class ShortRuns
{
    public static ExperimentEntry Entry(string name) => ExperimentRegistry.All.Single(e => e.Spec.Name == name);

    /// <summary>The paper's experiments and those beyond it (road-hetero, road-distil-base, road-distil-half): those
    /// whose encoder is, or reads with the tokenizer of, a pretrained checkpoint named by Hub repository.</summary>
    public static IEnumerable<ExperimentEntry> PaperExperiments() =>
        ExperimentRegistry.All.Where(e => (e.Spec.Encoder.Checkpoint.Length > 0 || e.Spec.Encoder.Vocabulary.Length > 0)
            && (e.Spec.Name.StartsWith("road-", StringComparison.Ordinal) || e.Spec.Name.StartsWith("table", StringComparison.Ordinal)));

    public static ExperimentEntry Shortened(string name, int trainExamples, int epochs, int teacherEpochs = 1, int multiTaskSteps = 8)
    {
        var entry = Entry(name);
        var spec = entry.Spec with
        {
            Tasks = entry.Spec.Tasks.Select(t => t with
            {
                MaxTrainExamples = trainExamples,
                TeacherSettings = t.TeacherSettings is null ? null : t.TeacherSettings with { Epochs = teacherEpochs },
                OtherTeachers = t.OtherTeachers?.Select(g => g with { Settings = g.Settings with { Epochs = teacherEpochs } }).ToList(),
            }).ToList(),
            Stages = entry.Spec.Stages.Select(s => s with
            {
                Settings = s.Settings with { Epochs = epochs },
                MultiTask = s.MultiTask is null ? null : s.MultiTask with { Steps = multiTaskSteps },
            }).ToList(),
        };
        return new ExperimentEntry(spec, entry.Create);
    }

    /// <summary>The entry with the training settings of every stage (and teacher) on <paramref name="dataset"/> changed.</summary>
    public static ExperimentEntry Tuned(this ExperimentEntry entry, string dataset, Func<FinetuneSettings, FinetuneSettings> change) => entry with
    {
        Spec = entry.Spec with
        {
            Tasks = entry.Spec.Tasks.Select(t => t.Name == dataset && t.TeacherSettings is { } teacher ? t with { TeacherSettings = change(teacher) } : t).ToList(),
            Stages = entry.Spec.Stages.Select(s => s.Target == dataset ? s with { Settings = change(s.Settings) } : s).ToList(),
        },
    };
}
