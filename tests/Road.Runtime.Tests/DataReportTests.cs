using System.Text.Json.Nodes;
using Road.Pipeline;
using Road.Stages;
using Road.Training;

namespace Road.Tests;

/// <summary>A run says per dataset and split what it read, skipped and built, before training; --strict stops at the first fault.</summary>
public sealed class DataReportTests : IDisposable
{
    private static readonly string Vocabulary = Path.Combine(AppContext.BaseDirectory, "Fixtures", "vocab", "bert-base-uncased-vocab.txt");
    private readonly string _folder = Directory.CreateTempSubdirectory("road-data-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);


    private sealed class Experiment(DataCatalog data) : IExperiment
    {
        public ExperimentSpec Spec => data.Spec;

        public StagePlan CreatePlan() => new([new PlannedStage(Spec.Stages[0], c => FinetuneStage.Run(c, Spec.Stages[0], new BoundTask(Spec.Tasks[0], data.LoadMrc(Spec.Tasks[0]))))]);
    }

    // One good question, one whose answer is not at its offset, one id given twice.
    private ExperimentEntry Squad()
    {
        string file = Path.Combine(_folder, "squad.json");
        File.WriteAllText(file, """
            {"version": "v2.0", "data": [{"title": "t", "paragraphs": [{"context": "Mia lives in Paris with her cat.", "qas": [
              {"id": "good", "question": "Where does Mia live?", "answers": [{"text": "Paris", "answer_start": 13}], "is_impossible": false},
              {"id": "moved", "question": "Who lives there?", "answers": [{"text": "Mia", "answer_start": 20}], "is_impossible": false},
              {"id": "good", "question": "Where does Mia live?", "answers": [{"text": "Paris", "answer_start": 13}], "is_impossible": false}]}]}]}
            """);
        var task = new TaskSpec("Squad", TaskKind.Mrc, DataFormat.Squad2, file, file, 0, MaxLength: 32, Stride: 8, MaxQueryLength: 12);
        var spec = new ExperimentSpec("squad-report", "", 1, 1, new EncoderSpec(EncoderFamily.Electra, "", 16, 16, 1, 2, 16, 64, 0.0, Vocabulary), [task],
            [new StageSpec("Tune", "Squad", new FinetuneSettings(Epochs: 1, BatchSize: 2))]);
        return new ExperimentEntry(spec, data => new Experiment(data));
    }

    [Fact]
    public void Each_split_reports_what_was_read_skipped_used_and_built()
    {
        var notes = new RecordedNotes();
        string output = Path.Combine(_folder, "runs");
        var outcome = ExperimentRunner.Run(Squad(), new RunOptions(Output: output, Seed: 1), notes);
        string file = Path.Combine(_folder, "squad.json");
        Assert.Equal(
        [
            "Inputs",
            $"  present   Squad train: {file} (not fetched by Road: nothing to verify against)",
            $"  present   Squad dev: {file} (not fetched by Road: nothing to verify against)",
        ], notes.Lines.Take(3));
        Assert.Equal(
        [
            "Data",
            "  Squad train: 3 read, 2 skipped (duplicate question id: 1, no answer at its offset: 1), 1 used, 1 windows; kept with faults: answer not at answer_start: 1",
            "  Squad dev: 3 read, 1 skipped (duplicate question id: 1), 2 used, 2 windows; kept with faults: answer not at answer_start: 1",
        ], notes.Lines.SkipWhile(l => l != "Data").TakeWhile(l => !l.StartsWith("Stages", StringComparison.Ordinal)));
        var train = JsonNode.Parse(File.ReadAllText(outcome.Folder.File("manifest.json")))!["data_read"]!["Squad"]!["train"]!;
        Assert.Equal(file, train["source"]!.GetValue<string>());
        Assert.Equal((3, 1, 1, 1), (train["read"]!.GetValue<int>(), train["used"]!.GetValue<int>(), train["skipped"]!["no answer at its offset"]!.GetValue<int>(), train["features"]!.GetValue<int>()));
        // The question whose answer is not at its offset is still scored on the dev set.
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(outcome.Folder.File("metrics.json")))!["tasks"]!["Squad"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public void Strict_runs_stop_at_the_first_fault_before_a_run_folder_exists()
    {
        string output = Path.Combine(_folder, "strict");
        var error = Assert.Throws<RoadException>(() => ExperimentRunner.Run(Squad(), new RunOptions(Output: output, Strict: true), new SilentProgress()));
        Assert.Equal($"{Path.Combine(_folder, "squad.json")}:1: $.data[0].paragraphs[0].qas[1].answers[0]: \"Mia\" is not at offset 20 of the context; the question is evaluated, not trained on (strict mode; without it, this is counted as \"answer not at answer_start\" and the record is kept).", error.Message);
        Assert.False(Directory.Exists(output));
    }
}
