using Road.Stages;

namespace Road.Pipeline;

/// <summary>
/// Which stages each stage of a plan reads: the stage it starts from (<see cref="StageSpec.From"/>, or the teacher
/// whose layers it takes: <see cref="StageSpec.FromTeacher"/>), the model it evaluates (<see cref="StageSpec.Model"/>),
/// the teachers of every dataset it distils, and for a teacher the stage its dataset's teachers start from
/// (<see cref="TaskSpec.TeacherFrom"/>). What a stage run in its own process restores before it starts, and the
/// dependencies of the stage's job on a cluster.
/// </summary>
public sealed class StageGraph
{
    private readonly Dictionary<string, IReadOnlyList<string>> _upstream = new(StringComparer.Ordinal);

    private StageGraph(IReadOnlyList<string> order) => Order = order;

    /// <summary>The stages in the plan's order (every stage after the ones it reads).</summary>
    public IReadOnlyList<string> Order { get; }

    public static StageGraph Of(ExperimentSpec spec, StagePlan plan)
    {
        var graph = new StageGraph(plan.Stages.Select(s => s.Spec.Name).ToList());
        var teachers = plan.Stages.Where(s => TeacherStage.IsTeacher(s.Spec.Name)).ToLookup(s => s.Spec.Target, s => s.Spec.Name, StringComparer.Ordinal);
        foreach (var planned in plan.Stages)
        {
            var stage = planned.Spec;
            var upstream = new List<string>();
            if (TeacherStage.IsTeacher(stage.Name))
            {
                if (spec.Task(stage.Target).TeacherFrom is { Length: > 0 } from) upstream.Add(from);
            }
            else
            {
                if (stage.From.Length > 0) upstream.Add(stage.From);
                if (stage.FromTeacher is { } layers) upstream.Add(layers.Stage(stage.Target));
                if (stage.Model.Length > 0) upstream.Add(stage.Model);
                if (stage.Distillation is not null)
                    foreach (string dataset in DatasetsOf(spec, stage)) upstream.AddRange(teachers[dataset]);
            }
            graph._upstream[stage.Name] = upstream.Distinct(StringComparer.Ordinal).ToList();
        }
        return graph;
    }

    /// <summary>The stages <paramref name="stage"/> reads directly.</summary>
    public IReadOnlyList<string> Upstream(string stage) => _upstream.TryGetValue(stage, out var upstream) ? upstream
        : throw new RoadException($"the plan has no stage named {stage}; its stages: {string.Join(", ", Order)}.");

    /// <summary>Every stage <paramref name="stage"/> reads, directly or through others, in plan order.</summary>
    public IReadOnlyList<string> Closure(string stage)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(Upstream(stage));
        while (pending.TryPop(out var next))
            if (found.Add(next))
                foreach (string up in Upstream(next)) pending.Push(up);
        return Order.Where(found.Contains).ToList();
    }

    /// <summary>The datasets a stage reads: its target, or a multi-task stage's (every trained one when unnamed).</summary>
    public static IEnumerable<string> DatasetsOf(ExperimentSpec spec, StageSpec stage) =>
        stage.Kind == StageKind.MultiTask ? stage.Datasets ?? spec.Tasks.Where(t => !t.EvaluationOnly).Select(t => t.Name)
        : stage.Target.Length > 0 ? [stage.Target] : [];
}
