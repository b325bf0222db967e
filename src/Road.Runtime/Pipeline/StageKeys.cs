using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Road.Stages;
using Road.Training;

namespace Road.Pipeline;

/// <summary>
/// The content key of every stage of a plan: SHA-256 over everything that decides what the stage leaves (its
/// declaration without its names, the identity of each dataset it reads with its head's shape, the initial encoder's
/// content, the tokenizer, a teacher encoder's content and tokenizer, its seed, the device kind, precision and rank count, the code version) and the keys of the
/// stages it reads (<see cref="StageGraph"/>), so a stage's key changes whenever anything upstream does. Nothing names
/// the experiment: table4, table5 and road-electra-large share the stages they have in common.
/// </summary>
public static class StageKeys
{
    public static IReadOnlyDictionary<string, string> Of(ExperimentSpec spec, StagePlan plan, StageGraph graph, InitialEncoder initial, TeacherEncoders teachers,
        DataCatalog data, int runSeed, string device, Precision precision, int ranks)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < plan.Stages.Count; i++)
        {
            var stage = plan.Stages[i].Spec;
            var inputs = new List<string>
            {
                $"stage v{StageCache.CodeVersion}",
                $"{(TeacherStage.IsTeacher(stage.Name) ? "teacher" : stage.Kind.ToString())} {JsonSerializer.Serialize(stage with { Name = "", Row = "", Paper = null, From = "", Model = "" })}",
                // A teacher of another encoder starts from that encoder; the student's tokenizer still shapes its targets.
                stage.Encoder.Length > 0 ? teachers.Get(stage.Encoder).Identity : initial.Identity,
                data.Tokenizer.Fingerprint,
                $"seed {StageContext.SeedOf(runSeed, i)} device {device.Split(':')[0].ToLowerInvariant()} precision {precision} ranks {ranks}",
            };
            inputs.AddRange(StageGraph.DatasetsOf(spec, stage).Select(name => Dataset(data, spec.Task(name))));
            inputs.AddRange(graph.Upstream(stage.Name).Select(upstream => $"{upstream} {keys[upstream]}"));
            keys[stage.Name] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", inputs))));
        }
        return keys;
    }

    private static string Dataset(DataCatalog data, TaskSpec spec)
    {
        var task = data.Bind(spec);
        return string.Join(" | ",
            $"{spec.Name} {spec.Kind} max {spec.MaxLength} stride {spec.Stride} query {spec.MaxQueryLength} classes {task.Classes} followup {spec.FollowupHead} yesno {spec.YesNoHead} teacher-from {spec.TeacherFrom.Length > 0}",
            spec.EvaluationOnly ? "no train" : data.Identity(spec, "train"),
            spec.Scored ? data.Identity(spec, "dev") : "no dev");
    }
}
