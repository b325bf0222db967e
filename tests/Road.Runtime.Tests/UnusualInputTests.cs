using System.Text;
using Road.Data;
using Road.Data.Readers;

namespace Road.Tests;

/// <summary>Valid files in forms that trip careless readers: a UTF-8 byte-order mark, CRLF line ends, gzip, and
/// characters outside the BMP before an answer (Python counts them as one character, .NET as two).</summary>
public sealed class UnusualInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("road-unusual-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Squad = """
        {"version": "v2.0", "data": [{"title": "t", "paragraphs": [{"context": "🙂🙂 Mia lives in Paris.", "qas": [
          {"id": "q1", "question": "Where?", "answers": [{"text": "Paris", "answer_start": 16}], "is_impossible": false}]}]}]}
        """;

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void A_byte_order_mark_crlf_and_astral_characters_read_as_plain_json_does()
    {
        byte[] body = Encoding.UTF8.GetBytes(Squad.Replace("\n", "\r\n"));
        string path = Write("bom.json", [.. Encoding.UTF8.GetPreamble(), .. body]);
        var report = new ReaderReport(strict: true);
        var question = Assert.Single(Squad2Reader.Read(path, report));
        // answer_start 16 counts code points (each emoji is one); in .NET's UTF-16 the answer starts at 18.
        Assert.Equal(new Answer("Paris", 18), question.Answers[0]);
        Assert.Equal("Paris", question.Context.Substring(18, 5));
    }

    [Fact]
    public void Gzip_and_a_byte_order_mark_together_read_the_same()
    {
        using var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Squad)]);
        string path = Write("squad.json.gz", packed.ToArray());
        Assert.Equal(18, Assert.Single(Squad2Reader.Read(path, new ReaderReport(strict: true))).Answers[0].Start);
    }

    [Fact]
    public void Crlf_json_lines_and_tsv_with_a_byte_order_mark_read_every_field_whole()
    {
        string jsonl = Write("mnli.jsonl", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(
            "{\"gold_label\": \"neutral\", \"sentence1\": \"A man.\", \"sentence2\": \"A person.\", \"pairID\": \"1\"}\r\n{\"gold_label\": \"contradiction\", \"sentence1\": \"B.\", \"sentence2\": \"C.\", \"pairID\": \"2\"}\r\n")]);
        Assert.Equal([1, 2], NliJsonlReader.Read(jsonl, new ReaderReport(strict: true)).Select(p => p.Label));
        string tsv = Write("qqp.tsv", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\r\n7\t1\t2\tA?\tB?\t1\r\n")]);
        var pair = Assert.Single(GlueQqpReader.Read(tsv, new ReaderReport(strict: true)));
        Assert.Equal(("7", "B?", 1), (pair.Id, pair.Second, pair.Label));
    }
}
