using System.Text.Json.Nodes;
using Road.Data;
using Road.Distillation;
using Road.Inference;
using Road.Pipeline;
using Road.Stages;
using Road.Training;

namespace Road.Tests;

/// <summary>
/// Teachers of their own encoder (issue 13) end to end on a shortened tiny-hetero: BERT and ALBERT teachers reading the
/// toy data cut into two-letter pieces, an ELECTRA teacher and student reading whole words. Each teacher's soft
/// targets are over the student's windows, say which encoder made them and how well its tokens mapped, and its stage
/// folder is a model of its own tokenizer.
/// </summary>
public sealed class TeacherEncoderTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("road-hetero-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public void Teachers_of_other_tokenizers_train_on_their_own_features_and_teach_through_mapped_targets()
    {
        var entry = ShortRuns.Shortened("tiny-hetero", trainExamples: 120, epochs: 1, teacherEpochs: 1);
        var outcome = ExperimentRunner.Run(entry, new RunOptions("cpu", null, _output), new SilentProgress());

        Assert.Equal(["Teacher-FactsMrc-0", "Teacher-FactsMrc-bert-0", "Teacher-FactsMrc-albert-0", "Single", "WeightedKd"], outcome.Results.Select(r => r.Stage));
        var data = new DataCatalog(entry.Spec);
        var task = data.Bind(entry.Spec.Task("FactsMrc"));
        int studentWindows = new FeatureStore(data).Mrc(task, "train").Count;
        var pieces = WordPieceVocabulary(ToyPieces());
        foreach (var (stage, encoder) in new[] { ("Teacher-FactsMrc-bert-0", "bert"), ("Teacher-FactsMrc-albert-0", "albert") })
        {
            string targets = TeacherStage.TargetsFile(outcome.Folder, stage);
            var provenance = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(targets, ".json")))!;
            Assert.StartsWith($"{encoder}: ", provenance["encoder"]!.GetValue<string>());
            var mapping = provenance["mapping"]!;
            Assert.Equal(studentWindows, mapping["Windows"]!.GetValue<int>());
            Assert.Equal(1.0, mapping["Exact"]!.GetValue<double>() + mapping["Moved"]!.GetValue<double>() + mapping["Outside"]!.GetValue<double>(), 9);
            var soft = SoftTargets.Load(targets);
            Assert.Equal([studentWindows, task.Spec.MaxLength], soft.Outputs["start"].shape);
            Assert.Equal([(long)studentWindows], soft.Outputs[SpanTargetMapping.Correctness("start")].shape);

            // The teacher's folder is a model that reads with the pieces vocabulary and answers on its own.
            using var teacher = TrainedModel.Load(outcome.Folder.File("stages", stage));
            Assert.Equal(pieces, WordPieceVocabulary(File.ReadAllText(outcome.Folder.File("stages", stage, "encoder", "vocab.txt"))));
            Assert.Equal(["mi", "##a"], teacher.Tokenizer.Tokenize("mia").Select(t => t.Text));
        }
        var own = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(TeacherStage.TargetsFile(outcome.Folder, "Teacher-FactsMrc-0"), ".json")))!;
        Assert.Equal("the experiment's encoder", own["encoder"]!.GetValue<string>());
        Assert.Null(own["mapping"]);

        // One table compares the students with their teachers: encoder, size (what the model folder holds), inference speed, metrics.
        string[] report = File.ReadAllLines(outcome.Folder.File("report.md"));
        int header = Array.IndexOf(report, "| model | dataset | encoder | parameters | inference features/s | exact | f1 |");
        Assert.True(header > 0, string.Join("\n", report));
        var rows = report.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.Equal(outcome.Results.Count, rows.Count);
        foreach (var (result, row) in outcome.Results.Zip(rows))
        {
            var model = result.Model!;
            Assert.Equal(ParametersIn(outcome.Folder.File("stages", result.Stage)), model.Parameters);
            string name = result.Role == StageRole.Teacher ? result.Stage : result.Row;
            Assert.True(model.FeaturesPerSecond > 0, result.Stage);
            Assert.StartsWith(FormattableString.Invariant($"| {name} | FactsMrc | {model.Encoder} | {model.Parameters:N0} | {model.FeaturesPerSecond:0} | "), row);
        }
        // A later experiment's teachers can start from the model a stage of this run trained.
        var later = entry.Spec with { TeacherEncoders = [new TeacherEncoderSpec("earlier", entry.Spec.Encoder, Experiment: "tiny-hetero", Stage: "Single")] };
        var resolved = TeacherSources.Resolve(later, _output).TeacherEncoders!.Single();
        Assert.Equal(outcome.Folder.File("stages", "Single", "encoder"), resolved.Encoder.Checkpoint);
        var earlier = new TeacherEncoders(later with { TeacherEncoders = [resolved] }, data).Get("earlier");
        Assert.Equal(TorchSharp.PyBridge.Safetensors.LoadStateDict(outcome.Folder.File("stages", "Single", "encoder", "model.safetensors")).Values.Sum(t => t.numel()),
            earlier.Initial.Parameters);
        Assert.StartsWith("teacher encoder checkpoint ", earlier.Identity); // keyed by the folder's file hashes
        Assert.Equal(data.Tokenizer.Fingerprint, earlier.Tokenizer.Fingerprint);
        Assert.StartsWith("bert 2x64, WordPiece, 67 tokens", outcome.Results[1].Model!.Encoder);
        Assert.StartsWith("albert 2x64, WordPiece, 67 tokens", outcome.Results[2].Model!.Encoder);
        Assert.StartsWith("electra 2x64, WordPiece, 40 tokens", outcome.Results[3].Model!.Encoder);
    }

    // The parameters a model folder holds: its encoder's and its head's.
    private static long ParametersIn(string folder) =>
        new[] { Path.Combine(folder, "encoder", "model.safetensors"), Path.Combine(folder, TrainedModel.HeadFile) }
            .Sum(file => TorchSharp.PyBridge.Safetensors.LoadStateDict(file).Values.Sum(t => t.numel()));

    [Fact]
    public void A_teacher_encoder_with_too_few_positions_or_an_unknown_name_is_refused_before_any_work()
    {
        var spec = ShortRuns.Entry("tiny-hetero").Spec;
        var shortBert = spec with { TeacherEncoders = spec.TeacherEncoders!.Select(t => t.Name == "bert" ? t with { Encoder = t.Encoder with { MaxPositions = 16 } } : t).ToList() };
        var error = Assert.Throws<RoadException>(() => DataCatalog.Validate(shortBert));
        Assert.Contains("FactsMrc: MaxLength 40 is longer than the 16 positions of teacher encoder bert (max_position_embeddings); lower it", error.Message);
        var fromNowhere = spec with { TeacherEncoders = [new TeacherEncoderSpec("mtl", spec.Encoder, Experiment: "road-electra-large", Stage: "Mtl")] };
        var missing = Assert.Throws<RoadException>(() => TeacherSources.Resolve(fromNowhere, _output));
        Assert.Equal($"experiment tiny-hetero: teacher encoder mtl reads stage Mtl of the newest completed run of road-electra-large, but {Path.Combine(_output, "road-electra-large")} holds no completed run; run ./build.sh RunExperiment --name road-electra-large first (with the same --output).", missing.Message);
        var unknown = Assert.Throws<RoadException>(() => spec.TeacherEncoder("roberta"));
        Assert.Equal("experiment tiny-hetero has no teacher encoder named roberta; declare it with [TeacherEncoder(\"roberta\", ...)].", unknown.Message);
    }

    [Fact]
    public void A_teacher_encoders_stage_keys_follow_that_encoder_and_not_the_students()
    {
        var spec = ShortRuns.Entry("tiny-hetero").Spec;
        IReadOnlyDictionary<string, string> Keys(ExperimentSpec changed)
        {
            var entry = ShortRuns.Entry("tiny-hetero") with { Spec = changed };
            var data = new DataCatalog(changed);
            var plan = entry.Create(data).CreatePlan();
            return StageKeys.Of(changed, plan, StageGraph.Of(changed, plan), new InitialEncoder(changed, data.Tokenizer), new TeacherEncoders(changed, data), data, 17, "cpu", Precision.Float32, 1);
        }
        var original = Keys(spec);
        var widerStudent = Keys(spec with { Encoder = spec.Encoder with { HiddenSize = 96 } });
        var deeperBert = Keys(spec with { TeacherEncoders = spec.TeacherEncoders!.Select(t => t.Name == "bert" ? t with { Encoder = t.Encoder with { Layers = 3 } } : t).ToList() });
        Assert.Equal(["Teacher-FactsMrc-albert-0", "Teacher-FactsMrc-bert-0"], original.Keys.Where(k => original[k] == widerStudent[k]).Order(StringComparer.Ordinal));
        // A deeper BERT teacher retrains it and the stage distilling from it; the student alone is untouched.
        Assert.Equal(["Single", "Teacher-FactsMrc-0", "Teacher-FactsMrc-albert-0"], original.Keys.Where(k => original[k] == deeperBert[k]).Order(StringComparer.Ordinal));
    }

    private static string ToyPieces() => Road.Data.Toy.ToyWorld.PiecesVocabulary();

    private static string[] WordPieceVocabulary(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
