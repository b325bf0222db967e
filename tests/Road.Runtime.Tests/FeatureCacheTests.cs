using Road.Data;
using Road.Data.Readers;
using Road.Tokenization;

namespace Road.Tests;

/// <summary>Features cached on disk by tokenizer, settings and data identity.</summary>
public sealed class FeatureCacheTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("road-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_second_build_reads_the_cache_and_any_change_of_key_rebuilds()
    {
        string file = Path.Combine(AppContext.BaseDirectory, "Fixtures", "data", "squad2", "allennlp-squad2-fixture.json");
        var examples = Squad2Reader.Read(file, new ReaderReport()).ToList();
        var tokenizer = WordPieceTokenizer.FromVocabularyFile(Path.Combine(AppContext.BaseDirectory, "Fixtures", "vocab", "bert-base-uncased-vocab.txt"));
        var settings = new MrcWindowSettings(64, 16);
        string[] Key(MrcWindowSettings s) => [tokenizer.Fingerprint, s.ToString(), Road.Hub.ContentHash.OfInput(Road.Hub.HashKind.Sha256, file).Hex];
        int builds = 0;
        List<MrcFeature> Build(MrcWindowSettings s)
        {
            builds++;
            return MrcFeatureBuilder.Build(examples, tokenizer, s);
        }

        var cache = new FeatureCache(_folder);
        var first = cache.Mrc(Key(settings), () => Build(settings));
        var again = new FeatureCache(_folder).Mrc(Key(settings), () => Build(settings));
        Assert.Equal(1, builds);
        Assert.Equal(first.Count, again.Count);
        for (int i = 0; i < first.Count; i++)
        {
            var positions = Enumerable.Range(0, first[i].Ids.Length).ToList();
            Assert.Equal(first[i].Ids.ToArray(), again[i].Ids.ToArray());
            Assert.Equal(positions.Select(first[i].ContextOffset), positions.Select(again[i].ContextOffset));
            Assert.Equal(positions.Select(first[i].IsMaxContext), positions.Select(again[i].IsMaxContext));
            Assert.Equal((first[i].ExampleIndex, first[i].StartPosition, first[i].EndPosition), (again[i].ExampleIndex, again[i].StartPosition, again[i].EndPosition));
        }
        cache.Mrc(Key(settings with { Stride = 8 }), () => Build(settings with { Stride = 8 }));
        Assert.Equal(2, builds);
        var toy = WordPieceTokenizer.FromVocabulary(new MemoryStream("[PAD]\n[UNK]\n[CLS]\n[SEP]\n"u8.ToArray()));
        Assert.NotEqual(tokenizer.Fingerprint, toy.Fingerprint);
    }

    [Fact]
    public void A_damaged_entry_is_rebuilt()
    {
        var cache = new FeatureCache(_folder);
        var features = new List<PairFeature> { new(CompactIds.From([1, 2], 10), 2, 2) };
        cache.Pairs(["k"], () => features);
        var entry = Directory.GetFiles(_folder).Single();
        File.WriteAllBytes(entry, File.ReadAllBytes(entry)[..10]);
        int builds = 0;
        var rebuilt = new FeatureCache(_folder).Pairs(["k"], () => { builds++; return features; });
        Assert.Equal(1, builds);
        Assert.Equal(2, rebuilt[0].Label);
    }
}
