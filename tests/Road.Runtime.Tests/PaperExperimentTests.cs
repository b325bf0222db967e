using System.Text.Json.Nodes;
using Road.Datasets;
using Road.Hub;
using Road.Pipeline;
using Road.Training;

namespace Road.Tests;

/// <summary>
/// The paper's experiments as declared in examples/: each one's whole stage graph runs with <c>--smoke</c> (the shipped
/// real-format samples, a 2-layer encoder, a handful of steps) and lays its report out like the paper's table; every
/// file and checkpoint they name is one FetchData and FetchCheckpoint provide.
/// </summary>
public sealed class PaperExperimentTests : IDisposable
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Fixtures");
    private readonly string _output = Directory.CreateTempSubdirectory("road-paper-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    public static TheoryData<string, string, string[]> Tables => new()
    {
        { "road-electra-large", "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 | NewsQA* EM | NewsQA* F1 |", ["ROaD"] },
        { "road-electra-base", "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 | NewsQA* EM | NewsQA* F1 |", ["ROaD"] },
        { "table2-bert-large", "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 | MNLI-m Acc | QQP Acc |", ["baseline", "MT-DNN", "ROaD MTL"] },
        { "table2-albert-xlarge", "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 | MNLI-m Acc | QQP Acc |", ["baseline", "MT-DNN", "ROaD MTL"] },
        { "table2-electra-large", "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 | MNLI-m Acc | QQP Acc |", ["baseline", "MT-DNN", "ROaD MTL"] },
        { "table3-bert-large", "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 |", ["baseline", "+ label smoothing", "+ negative questions", "+ both"] },
        { "table3-albert-xlarge", "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 |", ["baseline", "+ label smoothing", "+ negative questions", "+ both"] },
        { "table3-electra-large", "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 |", ["baseline", "+ label smoothing", "+ negative questions", "+ both"] },
        { "table4-electra-large", "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 | NewsQA EM | NewsQA F1 | MNLI-m Acc | QQP Acc |", ["baseline", "+MTL", "+KD"] },
        { "table5-electra-large", "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 |", ["single", "ensemble", "KD", "annealing", "weighted KD"] },
        { "road-hetero", "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 |", ["single", "weighted KD (BERT, ALBERT, ELECTRA)"] },
        { "road-distil-base", "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 |", ["single", "weighted KD from ELECTRA-large"] },
        { "road-distil-half", "| row | SQuAD 2.0 EM | SQuAD 2.0 F1 |", ["from teacher layers", "weighted KD from ELECTRA-large"] },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Smoke_runs_the_whole_stage_graph_and_lays_the_report_out_like_the_papers_table(string name, string header, string[] rows)
    {
        var entry = ShortRuns.Entry(name);
        var smoke = entry with { Spec = SmokeSpec.Of(entry.Spec, Samples) };

        var outcome = ExperimentRunner.Run(smoke, new RunOptions(Output: _output), new SilentProgress());

        var plan = entry.Create(new DataCatalog(smoke.Spec)).CreatePlan();
        Assert.Equal(plan.Stages.Select(s => s.Spec.Name), outcome.Results.Select(r => r.Stage));
        Assert.All(outcome.Results.Where(r => r.Training.Steps > 0), r => Assert.True(double.IsFinite(r.Training.FirstLoss) && double.IsFinite(r.Training.LastLoss), r.Stage));
        string[] report = File.ReadAllLines(outcome.Folder.File("report.md"));
        int table = Array.IndexOf(report, header);
        Assert.True(table > 0, $"no table headed {header} in\n{string.Join("\n", report)}");
        Assert.Equal(rows, report.Skip(table + 2).TakeWhile(l => l.StartsWith('|')).Select(l => l.Split('|')[1].Trim()));
        var metrics = JsonNode.Parse(File.ReadAllText(outcome.Folder.File("metrics.json")))!;
        Assert.Equal(rows.Order(StringComparer.Ordinal), metrics["rows"]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal(smoke.Spec.Encoder.Family, entry.Spec.Encoder.Family);
        Assert.Equal(entry.Spec.Stages.Select(s => s.FromTeacher?.Layers.Count).FirstOrDefault(n => n is not null) ?? 2, smoke.Spec.Encoder.Layers);
        // Preflight's stage table counts the steps the stages then took.
        var estimates = Preflight.Run(smoke, new RunOptions(Output: _output), smoke.Spec.Seed, new SilentProgress()).Estimates;
        Assert.Equal(outcome.Results.Select(r => (r.Stage, (long)r.Training.Steps)), estimates.Select(e => (e.Stage, e.Steps)));
    }

    [Fact]
    public void Roads_teachers_come_after_the_multi_task_model_they_are_finetuned_from_and_newsqa_scores_the_squad_model()
    {
        var entry = ShortRuns.Entry("road-electra-large");
        var plan = entry.Create(new DataCatalog(SmokeSpec.Of(entry.Spec, Samples))).CreatePlan();

        Assert.Equal(
            ["Teacher-TriviaQa-0", "Teacher-NaturalQuestions-0", "Teacher-Quac-0", "Teacher-QaSrl-0", "Teacher-QaZre-0", "Teacher-Mnli-0", "Teacher-Snli-0",
             "Teacher-Amazon-0", "Teacher-Qqp-0", "Mtl", "Teacher-Squad2-0", "Teacher-Squad2-1", "Teacher-Squad2-2", "Finetune", "NewsQaOutOfDomain"],
            plan.Stages.Select(s => s.Spec.Name));
        Assert.All(plan.Stages.Where(s => s.Spec.Name.StartsWith("Teacher-Squad2", StringComparison.Ordinal)), s => Assert.Equal("Mtl", s.Spec.From));
        var evaluation = entry.Spec.Stages.Single(s => s.Kind == StageKind.Evaluate);
        Assert.Equal(("NewsQa", "Finetune"), (evaluation.Target, evaluation.Model));
        Assert.True(entry.Spec.Task("NewsQa").EvaluationOnly);
    }

    [Fact]
    public void Preflight_names_each_missing_or_damaged_input_with_the_command_that_fetches_it()
    {
        string data = Path.Combine(_output, "data");
        string? before = Environment.GetEnvironmentVariable(DataCatalog.DataVariable);
        Environment.SetEnvironmentVariable(DataCatalog.DataVariable, data);
        try
        {
            var spec = ShortRuns.Entry("table3-electra-large").Spec;
            string squad = Path.Combine(data, "squad2");
            Directory.CreateDirectory(squad);
            File.Copy(Path.Combine(Samples, "data", "squad2", "allennlp-squad2-fixture.json"), Path.Combine(squad, "train-v2.0.json"));
            var train = new FileInfo(Path.Combine(squad, "train-v2.0.json"));
            new DatasetRecord("squad2", DateTimeOffset.UnixEpoch, [], [new FetchedFile("train-v2.0.json", train.Length, ContentHash.Compute(HashKind.Sha256, train.FullName).ToString(), "test")]).Write(squad);

            var checks = InputChecks.Of(spec).ToDictionary(c => c.What);
            Assert.Equal(InputState.Missing, checks["checkpoint"].State);
            Assert.Equal("./build.sh FetchCheckpoint --repo google/electra-large-discriminator", checks["checkpoint"].Fetch);
            Assert.Equal(InputState.Verified, checks["Squad2 train"].State);
            Assert.Equal($"Squad2 dev: {Path.Combine(squad, "dev-v2.0.json")} not found; fetch it with ./build.sh FetchData --dataset squad2", checks["Squad2 dev"].Problem);
            File.AppendAllText(train.FullName, " ");
            var damaged = InputChecks.Of(spec).Single(c => c.What == "Squad2 train");
            Assert.Equal(InputState.Damaged, damaged.State);
            Assert.Equal($"Squad2 train: {train.FullName}: train-v2.0.json has {train.Length + 1} bytes instead of {train.Length}; fetch it again with ./build.sh FetchData --dataset squad2", damaged.Problem);
            var error = Assert.Throws<RoadException>(() => Preflight.CheckInputs(spec, new SilentProgress()));
            Assert.Contains(damaged.Problem, error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DataCatalog.DataVariable, before);
        }
    }

    [Fact]
    public void Table_2_shares_the_nine_datasets_but_trains_none_of_their_teachers_since_it_does_not_distil()
    {
        var entry = ShortRuns.Entry("table2-electra-large");
        var plan = entry.Create(new DataCatalog(SmokeSpec.Of(entry.Spec, Samples))).CreatePlan();

        Assert.Equal(["TriviaQa", "NaturalQuestions", "Quac", "QaSrl", "QaZre", "Mnli", "Snli", "Amazon", "Qqp", "Squad2"], entry.Spec.Tasks.Select(t => t.Name));
        Assert.DoesNotContain(plan.Stages, s => s.Spec.Name.StartsWith("Teacher-", StringComparison.Ordinal));
        Assert.All(entry.Spec.Stages.Where(s => s.Kind == StageKind.MultiTask), s => Assert.Equal(entry.Spec.Tasks.Take(9).Select(t => t.Name), s.Datasets!));
    }

    [Fact]
    public void The_paper_settings_are_table_8s()
    {
        foreach (var entry in ShortRuns.PaperExperiments())
        {
            Assert.Equal(5, entry.Spec.Runs);
            foreach (var stage in entry.Spec.Stages.Where(s => s.Kind == StageKind.Finetune))
                Assert.Equal((3, 32, 5e-5, 0.9, 0.1, 1e-6, 1.0), (stage.Settings.Epochs, stage.Settings.BatchSize, stage.Settings.LearningRate, stage.Settings.LayerDecay,
                    stage.Settings.WarmupFraction, stage.Settings.AdamEpsilon, stage.Settings.MaxGradNorm));
            foreach (var stage in entry.Spec.Stages.Where(s => s.Kind == StageKind.MultiTask))
                Assert.Equal((50_000, 512, stage.MultiTask!.HeadPerDataset ? 512 : 16, 3e-4, 0.75), (stage.MultiTask.Steps, stage.MultiTask.BatchSize, stage.MultiTask.ExamplesPerPass, stage.MultiTask.LearningRate, stage.MultiTask.LayerDecay));
            foreach (var teacher in entry.Spec.Tasks.Select(t => t.TeacherSettings).OfType<Road.Training.FinetuneSettings>())
                Assert.Equal((3, 32, 5e-5, 0.9), (teacher.Epochs, teacher.BatchSize, teacher.LearningRate, teacher.LayerDecay));
        }
    }

    [Fact]
    public void Every_file_and_checkpoint_the_paper_experiments_name_is_one_FetchData_and_FetchCheckpoint_provide()
    {
        var outputs = DatasetManifest.Road.Datasets.SelectMany(d => d.Files.SelectMany(f => f.Outputs).Select(o => $"{d.Name}/{o}")).ToHashSet(StringComparer.Ordinal);
        var papers = ShortRuns.PaperExperiments().ToList();
        Assert.Equal(13, papers.Count);
        foreach (var entry in papers)
        {
            Assert.All(entry.Spec.Tasks.SelectMany(t => new[] { t.Train, t.Dev }).Where(f => f.Length > 0), file => Assert.Contains(file, outputs));
            foreach (var encoder in (entry.Spec.TeacherEncoders ?? []).Select(t => t.Encoder).Prepend(entry.Spec.Encoder))
            {
                string checkpoint = encoder.Checkpoint.Length > 0 ? encoder.Checkpoint : encoder.Vocabulary;
                Assert.Equal(checkpoint, HubRepository.Model(checkpoint).Id);
            }
            foreach (var group in entry.Spec.Tasks.SelectMany(t => t.OtherTeachers ?? []))
                Assert.Equal((3, 32, 5e-5, 0.9), (group.Settings.Epochs, group.Settings.BatchSize, group.Settings.LearningRate, group.Settings.LayerDecay));
        }
    }
}
