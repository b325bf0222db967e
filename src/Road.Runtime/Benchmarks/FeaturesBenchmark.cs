using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Road.Data;
using Road.Data.Readers;
using Road.Tokenization;

namespace Road.Benchmarks;

/// <summary>Reading, tokenizing and windowing throughput on a synthetic SQuAD 2.0 file.</summary>
public sealed record FeaturesBenchmarkResult(
    int Questions, double FileMegabytes, double ReadSeconds, double ReadQuestionsPerSecond, double ReadMegabytesPerSecond,
    double FeaturesSeconds, double FeaturesQuestionsPerSecond, int Windows, int MaxLength, int Stride);

/// <summary>
/// Generates a SQuAD 2.0 file of SQuAD's size (by default 130,000 questions, five per paragraph, a third unanswerable)
/// from a seeded pseudo-word vocabulary, then times the streaming reader alone and reader plus WordPiece tokenization
/// plus windowing at the paper's settings (384 tokens, HF stride 128).
/// </summary>
public static class FeaturesBenchmark
{
    private const int VocabularyWords = 4000;

    public static FeaturesBenchmarkResult Run(string workFolder, int questions, int maxLength = 384, int stride = 128)
    {
        Directory.CreateDirectory(workFolder);
        var random = new Random(5);
        var words = Enumerable.Range(0, VocabularyWords).Select(_ => Word(random)).Distinct().ToList();
        string vocab = string.Join("\n", new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "?" }.Concat(words).Concat(words.Take(500).Select(w => "##" + w))) + "\n";
        var tokenizer = WordPieceTokenizer.FromVocabulary(new MemoryStream(Encoding.UTF8.GetBytes(vocab)));
        string file = Path.Combine(workFolder, "synthetic-squad2.json");
        WriteSquad(file, questions, words, random);
        double megabytes = new FileInfo(file).Length / 1e6;

        var clock = Stopwatch.StartNew();
        int read = Squad2Reader.Read(file, new ReaderReport()).Count();
        double readSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var settings = new MrcWindowSettings(maxLength, stride);
        int windows = 0;
        foreach (var chunk in Squad2Reader.Read(file, new ReaderReport()).Chunk(1000)) windows += MrcFeatureBuilder.Build(chunk, tokenizer, settings).Count;
        double featureSeconds = clock.Elapsed.TotalSeconds;
        File.Delete(file);
        return new FeaturesBenchmarkResult(read, megabytes, readSeconds, read / readSeconds, megabytes / readSeconds, featureSeconds, read / featureSeconds, windows, maxLength, stride);
    }

    private static string Word(Random random)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        return new string(Enumerable.Range(0, 3 + random.Next(7)).Select(_ => letters[random.Next(letters.Length)]).ToArray());
    }

    // Paragraphs of about 120 words (SQuAD's average), five questions each.
    private static void WriteSquad(string path, int questions, List<string> words, Random random)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("version", "v2.0");
        json.WriteStartArray("data");
        int written = 0;
        while (written < questions)
        {
            json.WriteStartObject();
            json.WriteString("title", $"article-{written}");
            json.WriteStartArray("paragraphs");
            for (int p = 0; p < 10 && written < questions; p++)
            {
                var tokens = Enumerable.Range(0, 100 + random.Next(40)).Select(_ => words[random.Next(words.Count)]).ToList();
                string context = string.Join(" ", tokens) + ".";
                json.WriteStartObject();
                json.WriteString("context", context);
                json.WriteStartArray("qas");
                for (int q = 0; q < 5 && written < questions; q++, written++)
                {
                    json.WriteStartObject();
                    json.WriteString("id", $"q{written}");
                    json.WriteString("question", string.Join(" ", Enumerable.Range(0, 10).Select(_ => words[random.Next(words.Count)])) + "?");
                    bool impossible = random.Next(3) == 0;
                    json.WriteBoolean("is_impossible", impossible);
                    json.WriteStartArray("answers");
                    if (!impossible)
                    {
                        int at = random.Next(tokens.Count - 3);
                        string text = string.Join(" ", tokens.Skip(at).Take(3));
                        json.WriteStartObject();
                        json.WriteString("text", text);
                        json.WriteNumber("answer_start", string.Join(" ", tokens.Take(at)).Length + (at > 0 ? 1 : 0));
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
