using System.Diagnostics;
using System.Text.Json;
using Road.Data;
using Road.Data.Readers;
using Road.Tokenization;

namespace Road.Benchmarks;

/// <summary>What <c>Benchmark --what features</c> measured.</summary>
public sealed record FeaturesBenchmarkResult(
    string Source, int Questions, double FileMegabytes, int Threads, double ReadSeconds, double ReadQuestionsPerSecond,
    double FeaturesSeconds, double FeaturesQuestionsPerSecond, int Windows, int MaxLength, int Stride,
    double FeaturesMegabytes, double PeakWorkingSetMegabytes, double CacheMegabytes, double CacheReadSeconds,
    WordPieceComparison WordPiece);

/// <summary>Road's WordPiece against FastBertTokenizer on the same texts, one thread each.</summary>
public sealed record WordPieceComparison(int Texts, long Tokens, double RoadTokensPerSecond, double FastBertTokensPerSecond, int IdenticalTexts);

/// <summary>
/// Times reading, and reading plus tokenizing plus windowing at the paper's settings (384 tokens, HF stride 128), of
/// a SQuAD 2.0 file: a given one, or by default a generated one of SQuAD 2.0 train's size (130,000 questions, five per
/// paragraph of about 120 words, a third unanswerable) from a seeded pseudo-word vocabulary. It holds every feature
/// of the file and reports their managed memory, the process's peak working set, the feature cache's size on disk
/// and the time to read it back; and it tokenizes the same texts with FastBertTokenizer as an anchor for WordPiece
/// speed (that library reports no offsets into the original text, which SQuAD answers need, so Road does not use it).
/// </summary>
public static class FeaturesBenchmark
{
    private const int VocabularyWords = 4000;

    public static FeaturesBenchmarkResult Run(string workFolder, int questions, string? squadFile = null, string? vocabularyFile = null, int maxLength = 384, int stride = 128)
    {
        Directory.CreateDirectory(workFolder);
        string vocabulary = vocabularyFile ?? WriteVocabulary(workFolder);
        var tokenizer = WordPieceTokenizer.FromVocabularyFile(vocabulary);
        string file = squadFile ?? Path.Combine(workFolder, "synthetic-squad2.json");
        if (squadFile is null) WriteSquad(file, questions, File.ReadAllLines(vocabulary).Skip(8).Take(VocabularyWords).ToList(), new Random(5));
        double megabytes = new FileInfo(file).Length / 1e6;

        var clock = Stopwatch.StartNew();
        int read = Squad2Reader.Read(file, new ReaderReport()).Count();
        double readSeconds = clock.Elapsed.TotalSeconds;

        long before = ManagedBytes();
        clock.Restart();
        var examples = Squad2Reader.Read(file, new ReaderReport()).ToList();
        var features = MrcFeatureBuilder.Build(examples, tokenizer, new MrcWindowSettings(maxLength, stride));
        double featureSeconds = clock.Elapsed.TotalSeconds;
        examples = null;
        double featureMegabytes = (ManagedBytes() - before) / 1e6;

        string cacheFolder = Path.Combine(workFolder, "cache");
        if (Directory.Exists(cacheFolder)) Directory.Delete(cacheFolder, recursive: true);
        var cache = new FeatureCache(cacheFolder);
        cache.Mrc(["benchmark"], () => features);
        double cacheMegabytes = Directory.GetFiles(cacheFolder).Sum(f => new FileInfo(f).Length) / 1e6;
        clock.Restart();
        int cached = new FeatureCache(cacheFolder).Mrc(["benchmark"], () => throw new InvalidOperationException("the cache entry was not read")).Count;
        double cacheSeconds = clock.Elapsed.TotalSeconds;
        double peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6;
        int windows = features.Count;
        GC.KeepAlive(features);
        if (cached != windows) throw new RoadException($"the feature cache gave back {cached} windows of {windows}.");

        var comparison = CompareWordPiece(file, vocabulary, tokenizer);
        Directory.Delete(cacheFolder, recursive: true);
        if (squadFile is null) File.Delete(file);
        return new FeaturesBenchmarkResult(squadFile ?? "synthetic", read, megabytes, Environment.ProcessorCount, readSeconds, read / readSeconds,
            featureSeconds, read / featureSeconds, windows, maxLength, stride, featureMegabytes, peak, cacheMegabytes, cacheSeconds, comparison);
    }

    private static long ManagedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    // Every distinct context and question, one thread each, ids with [CLS] and [SEP] compared text by text.
    private static WordPieceComparison CompareWordPiece(string file, string vocabulary, WordPieceTokenizer road)
    {
        var texts = Squad2Reader.Read(file, new ReaderReport()).SelectMany(e => new[] { e.Context, e.Question }).Distinct(StringComparer.Ordinal).ToList();
        var fast = new FastBertTokenizer.BertTokenizer();
        using (var reader = new StreamReader(vocabulary)) fast.LoadVocabulary(reader, convertInputToLowercase: true);
        var clock = Stopwatch.StartNew();
        var roadIds = texts.Select(t => road.Tokenize(t).Select(s => (long)s.Id).ToArray()).ToList();
        double roadSeconds = clock.Elapsed.TotalSeconds;
        var buffer = new long[4096];
        var mask = new long[buffer.Length];
        var fastIds = new List<long[]>(texts.Count);
        clock.Restart();
        foreach (var text in texts)
        {
            // The library pads the buffers; the mask says how many ids are tokens ([CLS] and [SEP] included).
            fast.Encode(text, buffer, mask, buffer.Length);
            int count = (int)mask.AsSpan().IndexOf(0L) is var end && end >= 0 ? end : mask.Length;
            fastIds.Add(buffer[1..(count - 1)]);
        }
        double fastSeconds = clock.Elapsed.TotalSeconds;
        long tokens = roadIds.Sum(ids => (long)ids.Length);
        int identical = roadIds.Zip(fastIds).Count(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
        return new WordPieceComparison(texts.Count, tokens, tokens / roadSeconds, fastIds.Sum(ids => (long)ids.Length) / fastSeconds, identical);
    }

    private static string WriteVocabulary(string folder)
    {
        var random = new Random(5);
        var words = Enumerable.Range(0, VocabularyWords * 2).Select(_ => Word(random)).Distinct().Take(VocabularyWords).ToList();
        string path = Path.Combine(folder, "synthetic-vocab.txt");
        File.WriteAllLines(path, new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "?" }.Concat(words).Concat(words.Take(500).Select(w => "##" + w)));
        return path;
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
