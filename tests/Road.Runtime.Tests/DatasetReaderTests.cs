using System.IO.Compression;
using System.Text.Json.Nodes;
using Parquet.Serialization;
using Road.Data;
using Road.Data.Readers;

namespace Road.Tests;

/// <summary>Every reader on the real-format samples, DescribeData's output, and the faults readers report.</summary>
public sealed class DatasetReaderTests : IDisposable
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Fixtures", "data");
    private readonly string _folder = Directory.CreateTempSubdirectory("road-readers-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Sample(string relative) => Path.Combine(Samples, relative);

    [Theory]
    [InlineData("squad2", "squad2", 7, 7, 0, null)] // the fixture gives one id twice: the last (answerable) is kept, as the official script keeps it
    [InlineData("mrqa", "mrqa", 5, 5, 0, null)]
    [InlineData("newsqa", "newsqa/combined-newsqa-data-v1.sample.json", 23, 21, 2, null)]
    [InlineData("quac", "quac", 41, 31, 10, 5)]
    [InlineData("qasrl-v1", "qasrl", 1, 1, 0, null)]
    [InlineData("qazre", "qa_zre", 2, 0, 2, null)]
    public void Mrc_samples_count_as_expected(string format, string path, long examples, long answerable, long unanswerable, int? dialogs)
    {
        var d = DatasetDescription.Describe(format, Sample(path));
        Assert.Equal((examples, answerable, unanswerable), (d.Total.Examples, d.Total.Answerable!.Value, d.Total.Unanswerable!.Value));
        Assert.Equal(dialogs, d.Total.Dialogs);
        Assert.Null(d.Total.Labels);
    }

    [Theory]
    [InlineData("mnli", "mnli/multinli_1.0_dev_matched.sample.jsonl", "entailment:1 neutral:1 contradiction:3")]
    [InlineData("glue-mnli", "mnli/glue-dev_matched.sample.tsv", "entailment:0 neutral:1 contradiction:1")]
    [InlineData("snli", "snli", "entailment:1 neutral:1 contradiction:1")]
    [InlineData("amazon", "amazon", "1:3 2:8 3:9 4:6 5:33")]
    [InlineData("glue-qqp", "qqp", "0:2 1:0")]
    public void Labelled_samples_count_per_label(string format, string path, string labels)
    {
        var d = DatasetDescription.Describe(format, Sample(path));
        Assert.Equal(labels, string.Join(" ", d.Total.Labels!.Select(kv => $"{kv.Key}:{kv.Value}")));
        Assert.Null(d.Total.Answerable);
    }

    [Fact]
    public void Quac_keeps_dialog_order_labels_and_drops_cannotanswer_from_the_context()
    {
        var questions = QuacReader.Read(Sample("quac/val_v0.2.sample.json"), new ReaderReport()).ToList();
        var first = questions[0];
        Assert.Equal(('y', 'x', 0), (first.Turn!.Followup, first.Turn.YesNo, first.Turn.Index));
        Assert.All(questions, q => Assert.False(q.Context.EndsWith("CANNOTANSWER", StringComparison.Ordinal)));
        Assert.All(questions.Where(q => q.IsImpossible), q => Assert.Empty(q.Answers));
        Assert.Equal(Enumerable.Range(0, questions.Count(q => q.Turn!.DialogId == first.Turn.DialogId)), questions.Where(q => q.Turn!.DialogId == first.Turn.DialogId).Select(q => q.Turn!.Index));
    }

    [Fact]
    public void Mrqa_char_spans_have_inclusive_ends()
    {
        var q = Assert.Single(MrqaReader.Read(Sample("mrqa/NewsQA.sample.jsonl"), new ReaderReport()));
        Assert.Equal("Rocky", q.Answers[0].Text);
        Assert.Equal(367, q.Answers[0].Start);
    }

    [Fact]
    public void A_dialog_given_twice_counts_its_questions_once()
    {
        // Before: 12 questions but 1 dialog. Question ids repeat, so the second copy is skipped and counted.
        var sample = JsonNode.Parse(File.ReadAllText(Sample("quac/val_v0.2.sample.json")))!;
        var dialog = sample["data"]![0]!;
        string path = Path.Combine(_folder, "twice.json");
        File.WriteAllText(path, new JsonObject { ["data"] = new JsonArray(dialog.DeepClone(), dialog.DeepClone()) }.ToJsonString());
        int questions = dialog["paragraphs"]![0]!["qas"]!.AsArray().Count;
        var d = DatasetDescription.Describe("quac", path);
        Assert.Equal((questions, 1), (d.Total.Examples, d.Total.Dialogs!.Value));
        Assert.Equal(questions, d.Report.Skipped["duplicate question id"]);
        Assert.Contains($"skipped, duplicate question id: {questions}", d.ToText());
    }

    [Fact]
    public void Describe_json_has_exactly_the_applicable_keys()
    {
        var quac = JsonNode.Parse(DatasetDescription.Describe("quac", Sample("quac")).ToJson())!.AsObject();
        Assert.Equal(["files", "examples", "answerable", "unanswerable", "dialogs"], quac.Select(kv => kv.Key));
        var qqp = JsonNode.Parse(DatasetDescription.Describe("glue-qqp", Sample("qqp")).ToJson())!.AsObject();
        Assert.Equal(["files", "examples", "labels"], qqp.Select(kv => kv.Key));
        Assert.Equal(2, qqp["labels"]!["0"]!.GetValue<long>());
    }

    [Fact]
    public void Skipped_and_faulty_records_are_counted_and_strict_mode_fails_on_them()
    {
        var d = DatasetDescription.Describe("amazon", Sample("amazon"));
        Assert.Equal(1, d.Report.Skipped["no rating"]);
        var error = Assert.Throws<RoadException>(() => DatasetDescription.Describe("amazon", Sample("amazon"), strict: true));
        Assert.Contains("AMAZON_FASHION_5.sample.json:2: $.overall", error.Message);
    }

    [Fact]
    public void Snli_no_consensus_labels_are_skipped_and_counted()
    {
        string path = Path.Combine(_folder, "snli.jsonl");
        File.WriteAllLines(path, [
            """{"gold_label": "-", "sentence1": "a", "sentence2": "b", "pairID": "1"}""",
            """{"gold_label": "entailment", "sentence1": "a", "sentence2": "a", "pairID": "2"}""",
        ]);
        var report = new ReaderReport();
        Assert.Single(NliJsonlReader.Read(path, report));
        Assert.Equal(1, report.Skipped["no gold label \"-\""]);
    }

    [Fact]
    public void A_malformed_line_names_file_line_and_field()
    {
        string path = Path.Combine(_folder, "bad.jsonl");
        File.WriteAllLines(path, ["""{"gold_label": "neutral", "sentence1": "a", "sentence2": "b"}""", """{"gold_label": "maybe", "sentence1": "a", "sentence2": "b"}"""]);
        var error = Assert.Throws<RoadException>(() => NliJsonlReader.Read(path, new ReaderReport()).ToList());
        Assert.Equal($"{path}:2: $.gold_label: expected entailment, neutral, contradiction or -, found \"maybe\".", error.Message);
        File.WriteAllLines(path, ["{not json"]);
        Assert.StartsWith($"{path}:1: not valid JSON", Assert.Throws<RoadException>(() => NliJsonlReader.Read(path, new ReaderReport()).ToList()).Message);
    }

    [Fact]
    public void Gzipped_files_read_like_plain_ones()
    {
        string gz = Path.Combine(_folder, "train.tsv.gz");
        using (var output = new GZipStream(File.Create(gz), CompressionLevel.Fastest)) File.OpenRead(Sample("qqp/glue-dev.sample.tsv")).CopyTo(output);
        Assert.Equal(GlueQqpReader.Read(Sample("qqp/glue-dev.sample.tsv"), new ReaderReport()), GlueQqpReader.Read(gz, new ReaderReport()));
    }

    [Fact]
    public void Qasrl_bank_2_json_lines_turn_token_spans_into_character_answers()
    {
        string path = Path.Combine(_folder, "qasrl.jsonl");
        File.WriteAllText(path, """
            {"sentenceId": "s1", "sentenceTokens": ["The", "cat", "chased", "a", "small", "mouse", "."], "verbEntries": {"2": {"verbIndex": 2, "verbInflectedForms": {"stem": "chase"}, "questionLabels": {"who chased something?": {"questionString": "who chased something?", "answerJudgments": [{"sourceId": "a", "isValid": true, "spans": [[0, 2]]}, {"sourceId": "b", "isValid": true, "spans": [[1, 2]]}]}, "what did someone chase?": {"questionString": "what did someone chase?", "answerJudgments": [{"sourceId": "a", "isValid": true, "spans": [[3, 6]]}]}, "when did someone chase?": {"questionString": "when did someone chase?", "answerJudgments": [{"sourceId": "a", "isValid": false}]}}}}}
            """);
        var questions = QaSrlReader.Read(path, new ReaderReport()).ToList();
        Assert.Equal(3, questions.Count);
        Assert.Equal(["The cat", "cat"], questions[0].Answers.Select(a => a.Text));
        Assert.Equal(("a small mouse", 15), (questions[1].Answers[0].Text, questions[1].Answers[0].Start));
        Assert.True(questions[2].IsImpossible);
    }

    private sealed class HfSquadRow
    {
        [System.Text.Json.Serialization.JsonPropertyName("id")] public string Id { get; set; } = "";
        [System.Text.Json.Serialization.JsonPropertyName("context")] public string Context { get; set; } = "";
        [System.Text.Json.Serialization.JsonPropertyName("question")] public string Question { get; set; } = "";
        [System.Text.Json.Serialization.JsonPropertyName("answers")] public HfAnswers Answers { get; set; } = new();
    }

    private sealed class HfAnswers
    {
        [System.Text.Json.Serialization.JsonPropertyName("text")] public List<string> Text { get; set; } = [];
        [System.Text.Json.Serialization.JsonPropertyName("answer_start")] public List<long> AnswerStart { get; set; } = [];
    }

    private sealed class HfNliRow
    {
        [System.Text.Json.Serialization.JsonPropertyName("premise")] public string Premise { get; set; } = "";
        [System.Text.Json.Serialization.JsonPropertyName("hypothesis")] public string Hypothesis { get; set; } = "";
        [System.Text.Json.Serialization.JsonPropertyName("label")] public long Label { get; set; }
    }

    [Fact]
    public async Task Parquet_exports_with_hf_columns_read_like_their_json()
    {
        var squad = Squad2Reader.Read(Sample("squad2/allennlp-squad2-fixture.json"), new ReaderReport()).ToList();
        string squadParquet = Path.Combine(_folder, "squad.parquet");
        await ParquetSerializer.SerializeAsync(squad.Select(q => new HfSquadRow
        {
            Id = q.Id, Context = q.Context, Question = q.Question,
            Answers = new HfAnswers { Text = q.Answers.Select(a => a.Text).ToList(), AnswerStart = q.Answers.Select(a => (long)a.Start).ToList() },
        }).ToList(), squadParquet);
        var read = ParquetDatasetReader.Read(squadParquet, new ReaderReport()).Questions!.ToList();
        Assert.Equal(squad.Select(q => (q.Id, q.Question, q.Answers.Count, q.Answers.FirstOrDefault()?.Start)), read.Select(q => (q.Id, q.Question, q.Answers.Count, q.Answers.FirstOrDefault()?.Start)));

        string nliParquet = Path.Combine(_folder, "mnli.parquet");
        await ParquetSerializer.SerializeAsync(new List<HfNliRow> { new() { Premise = "p", Hypothesis = "h", Label = 2 }, new() { Premise = "p", Hypothesis = "h", Label = -1 } }, nliParquet);
        var description = DatasetDescription.Describe("parquet", nliParquet);
        Assert.Equal("entailment:0 neutral:0 contradiction:1", string.Join(" ", description.Total.Labels!.Select(kv => $"{kv.Key}:{kv.Value}")));
        Assert.Equal(1, description.Report.Skipped["no gold label"]);
    }

    [Fact]
    public void Unknown_formats_and_missing_paths_are_clear_errors()
    {
        Assert.StartsWith("unknown format \"squad\"; formats: squad2, mrqa,", Assert.Throws<RoadException>(() => DatasetDescription.Describe("squad", Samples)).Message);
        Assert.EndsWith("nope: no such file or folder.", Assert.Throws<RoadException>(() => DatasetDescription.Describe("squad2", Path.Combine(_folder, "nope"))).Message);
    }
}
