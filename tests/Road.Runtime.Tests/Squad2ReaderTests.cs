using System.IO.Compression;
using System.Text;
using Road.Data.Readers;
using Road.Evaluation;

namespace Road.Tests;

/// <summary>The SQuAD 2.0 reader on the real samples, on big and broken files, and the official evaluation over files.</summary>
public sealed class Squad2ReaderTests : IDisposable
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Fixtures", "data", "squad2");
    private readonly string _folder = Directory.CreateTempSubdirectory("road-squad-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Reads_the_allennlp_fixture_with_answerable_and_impossible_questions()
    {
        var report = new ReaderReport();
        var examples = Squad2Reader.Read(Path.Combine(Samples, "allennlp-squad2-fixture.json"), report).ToList();
        Assert.Equal(6, examples.Count);
        Assert.Equal(1, examples.Count(e => e.IsImpossible));
        var statue = examples.Single(e => e.Id == "5733be284776f4190066117e");
        Assert.Equal(3, statue.Answers.Count);
        Assert.All(examples.SelectMany(e => e.Answers.Select(a => (e.Context, a))), x => Assert.Equal(x.a.Text, x.Context.Substring(x.a.Start, x.a.Text.Length)));
        Assert.Empty(report.Counts);
    }

    [Fact]
    public void Reads_the_hf_dev_sample_gzipped_too()
    {
        string gz = Path.Combine(_folder, "dev.json.gz");
        using (var output = new GZipStream(File.Create(gz), CompressionLevel.Fastest)) File.OpenRead(Path.Combine(Samples, "dev-v2.0.sample.json")).CopyTo(output);
        var plain = Squad2Reader.Read(Path.Combine(Samples, "dev-v2.0.sample.json"), new ReaderReport()).ToList();
        var zipped = Squad2Reader.Read(gz, new ReaderReport()).ToList();
        Assert.Equal(2, plain.Count);
        Assert.Equal(plain.Select(e => (e.Id, e.Question, e.Answers.Count)), zipped.Select(e => (e.Id, e.Question, e.Answers.Count)));
    }

    [Fact]
    public void Streams_articles_larger_than_its_buffer_and_many_of_them()
    {
        string path = Path.Combine(_folder, "big.json");
        string context = string.Join(" ", Enumerable.Range(0, 20_000).Select(i => $"w{i}")) + " 😀 Paris.";
        int parisStart = new Road.Tokenization.CodePointIndex(context).ToCodePoint(context.IndexOf("Paris", StringComparison.Ordinal));
        var article = $$"""{"title": "t", "paragraphs": [{"context": "{{context}}", "qas": [{"id": "ID", "question": "Where?", "answers": [{"text": "Paris", "answer_start": {{parisStart}}}], "is_impossible": false}]}]}""";
        File.WriteAllText(path, "{\"version\": \"v2.0\",\n \"data\": [\n" + string.Join(",\n", Enumerable.Range(0, 40).Select(i => article.Replace("\"ID\"", $"\"q{i}\""))) + "]}");
        var report = new ReaderReport();
        var examples = Squad2Reader.Read(path, report).ToList();
        Assert.Equal(40, examples.Count);
        Assert.Empty(report.Counts); // the code-point answer_start was converted past the emoji
        Assert.All(examples, e => Assert.Equal("Paris", e.Context.Substring(e.Answers[0].Start, 5)));
    }

    [Fact]
    public void A_malformed_record_names_the_file_line_and_json_path()
    {
        string path = Path.Combine(_folder, "bad.json");
        File.WriteAllText(path, "{\"data\": [\n{\"paragraphs\": [{\"context\": \"c\", \"qas\": []}]},\n{\"paragraphs\": [{\"context\": \"c\",\n \"qas\": [{\"id\": 7, \"question\": \"q\"}]}]}]}");
        var error = Assert.Throws<RoadException>(() => Squad2Reader.Read(path, new ReaderReport()).ToList());
        Assert.Equal($"{path}:3: $.data[1].paragraphs[0].qas[0].id: expected a string, found 7.", error.Message);
    }

    [Fact]
    public void A_truncated_file_is_an_error_not_a_short_dataset()
    {
        string path = Path.Combine(_folder, "cut.json");
        var text = File.ReadAllText(Path.Combine(Samples, "allennlp-squad2-fixture.json"));
        File.WriteAllText(path, text[..(text.Length * 2 / 3)]);
        var error = Assert.Throws<RoadException>(() => Squad2Reader.Read(path, new ReaderReport()).ToList());
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void An_answer_not_at_its_offset_is_counted_or_fails_in_strict_mode()
    {
        string path = Path.Combine(_folder, "offset.json");
        File.WriteAllText(path, """{"data": [{"paragraphs": [{"context": "in Paris", "qas": [{"id": "a", "question": "q", "answers": [{"text": "Lyon", "answer_start": 0}]}]}]}]}""");
        var report = new ReaderReport();
        var question = Assert.Single(Squad2Reader.Read(path, report));
        Assert.Equal(1, report.Counts["answer not at answer_start"]);
        // Kept for evaluation (its text is a gold answer), never trained on.
        Assert.Equal(new Road.Data.Answer("Lyon", -1), Assert.Single(question.Answers));
        Assert.False(question.IsTrainable);
        var error = Assert.Throws<RoadException>(() => Squad2Reader.Read(path, new ReaderReport(strict: true)).ToList());
        Assert.Contains("$.data[0].paragraphs[0].qas[0].answers[0]: \"Lyon\" is not at offset 0", error.Message);
    }

    // BERT's run_squad.py: the words the answer's ends fall in must contain the answer's words.
    [Theory]
    [InlineData("in Paris", "Paris", 3, 3)] // exact
    [InlineData("in New\nYork city", "New York", 3, 3)] // whitespace differs
    [InlineData("in Paris", "Paris", 0, 0)] // the offset falls in the word before: run_squad keeps "in Paris"
    [InlineData("in Paris", "Lyon", 3, -1)]
    [InlineData("in Paris", "Paris", 6, -1)] // runs past the context
    [InlineData("in Paris", "", 3, -1)]
    public void Answers_are_located_as_run_squad_checks(string context, string text, int start, int expected) =>
        Assert.Equal(expected, AnswerLocation.Check(context, text, start));

    [Theory]
    [InlineData("1", 810, 247)] // SQuAD 1.1 dev: Super_Bowl_50 has 810 questions, Warsaw 247, Normans 112
    [InlineData("0-1", 0, 1057)]
    [InlineData("47-", 10570 - 206, 206)]
    public void Articles_select_elements_of_data(string range, int skip, int take)
    {
        string file = Path.Combine(AppContext.BaseDirectory, "Fixtures", "data", "real", "dev-v1.1.json.gz");
        var all = Squad2Reader.Read(file, new ReaderReport()).Select(q => q.Id).ToList();
        Assert.Equal(10570, all.Count);
        Assert.Equal(all.Skip(skip).Take(take), Squad2Reader.Read(file, new ReaderReport(), ArticleRange.Parse(range)).Select(q => q.Id));
    }

    [Theory]
    [InlineData("3-1")]
    [InlineData("a-b")]
    [InlineData("-2")]
    public void Bad_article_ranges_say_what_is_expected(string range) =>
        Assert.Equal($"articles \"{range}\": expected \"a-b\", \"a-\" or \"a\" (article indices from 0, a <= b).", Assert.Throws<RoadException>(() => ArticleRange.Parse(range)).Message);

    [Fact]
    public void Evaluate_over_files_prints_the_official_json()
    {
        string data = Path.Combine(Samples, "allennlp-squad2-fixture.json");
        string predictions = Path.Combine(_folder, "predictions.json");
        string naProbs = Path.Combine(_folder, "na_probs.json");
        // The duplicated id 5733be284776f41900661182 counts once, with its last (answerable) occurrence.
        File.WriteAllText(predictions, """
            {"5733be284776f41900661182": "Saint Bernadette Soubirous", "5733be284776f4190066117e": "a golden statue",
             "5733b1da4776f41900661068": "1882", "5733b1da4776f4190066106b": "", "5733b1da4776f41900661067": "wind tunnel"}
            """);
        File.WriteAllText(naProbs, """
            {"5733be284776f41900661182": 0.1, "5733be284776f4190066117e": 0.2, "5733b1da4776f41900661068": 0.3,
             "5733b1da4776f4190066106b": 0.9, "5733b1da4776f41900661067": 0.4}
            """);
        var r = SquadV2Files.Evaluate(data, predictions, naProbs);
        Assert.Equal(5, r.Total);
        Assert.Equal(0, r.NoAnsTotal);
        Assert.Equal(40.0, r.Exact, 9);
        // F1: 1, "golden statue" vs "golden statue of virgin mary" (2/2, 2/5 -> 4/7), 1, 0, "wind tunnel" vs "early wind tunnel" (0.8)
        Assert.Equal(100 * (1 + 4.0 / 7 + 1 + 0 + 0.8) / 5, r.F1, 9);
    }

    [Fact]
    public void Evaluate_names_the_file_that_lacks_questions()
    {
        string predictions = Path.Combine(_folder, "predictions.json");
        File.WriteAllText(predictions, """{"5733b1da4776f41900661068": "1882"}""");
        var error = Assert.Throws<RoadException>(() => SquadV2Files.Evaluate(Path.Combine(Samples, "allennlp-squad2-fixture.json"), predictions));
        Assert.StartsWith($"{predictions} against", error.Message);
        Assert.Contains("the predictions lack 4 of 5 questions; first missing ids: 5733be284776f41900661182, 5733be284776f4190066117e", error.Message);
    }
}
