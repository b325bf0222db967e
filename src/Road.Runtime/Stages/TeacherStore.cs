using Road.Distillation;

namespace Road.Stages;

/// <summary>The soft targets of every trained teacher, by dataset, in seed order: what distilling stages read.</summary>
public sealed class TeacherStore
{
    private readonly Dictionary<string, List<SoftTargets>> _byDataset = new(StringComparer.Ordinal);

    public void Add(string dataset, SoftTargets targets)
    {
        if (!_byDataset.TryGetValue(dataset, out var list)) _byDataset[dataset] = list = [];
        list.Add(targets);
    }

    /// <summary>The teachers a distillation of <paramref name="dataset"/> reads: the first one for KD, the first N otherwise.</summary>
    public IReadOnlyList<SoftTargets> For(string experiment, string dataset, DistillationSpec distillation)
    {
        var teachers = _byDataset.GetValueOrDefault(dataset)
            ?? throw new RoadException($"experiment {experiment}: dataset {dataset} is distilled, but no teacher was trained for it; mark it [Teacher].");
        int wanted = distillation.Kind == DistillationKind.Kd ? 1 : distillation.Teachers;
        if (teachers.Count < wanted)
            throw new RoadException($"experiment {experiment}: {distillation.Kind} on {dataset} needs {wanted} teachers, {teachers.Count} were trained; raise [Teacher(Seeds)].");
        return teachers.Take(wanted).ToList();
    }
}
