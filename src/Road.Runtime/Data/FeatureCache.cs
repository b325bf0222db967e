using System.Security.Cryptography;
using System.Text;

namespace Road.Data;

/// <summary>
/// Features kept on disk between runs, keyed by everything they depend on: the tokenizer's fingerprint, the window
/// settings, the data's identity (a file's SHA-256, or a toy task's name and size) and the feature layout's version.
/// A second run with the same key reads the features instead of tokenizing again. Files are written atomically.
/// </summary>
public sealed class FeatureCache(string folder)
{
    public const string FolderVariable = "ROAD_CACHE";
    private const int LayoutVersion = 2;

    public string Folder { get; } = folder;

    /// <summary>Hits and misses of this instance, for logs and tests.</summary>
    public int Hits { get; private set; }
    public int Misses { get; private set; }

    public static FeatureCache Default() => new(Environment.GetEnvironmentVariable(FolderVariable) ?? Path.Combine(".road-cache", "features"));

    /// <summary>The SHA-256 of a file's bytes, as hex.</summary>
    public static string FileHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public List<MrcFeature> Mrc(IEnumerable<string> key, Func<List<MrcFeature>> build) => GetOrBuild("mrc", key, build, WriteMrc, ReadMrc);

    public List<PairFeature> Pairs(IEnumerable<string> key, Func<List<PairFeature>> build) => GetOrBuild("pair", key, build, WritePair, ReadPair);

    private List<T> GetOrBuild<T>(string kind, IEnumerable<string> key, Func<List<T>> build, Action<BinaryWriter, T> write, Func<BinaryReader, T> read)
    {
        string id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", key.Prepend($"{kind} v{LayoutVersion}")))));
        string path = Path.Combine(Folder, $"{kind}-{id}.bin");
        if (File.Exists(path))
        {
            try
            {
                using var reader = new BinaryReader(File.OpenRead(path));
                int count = reader.ReadInt32();
                var cached = new List<T>(count);
                for (int i = 0; i < count; i++) cached.Add(read(reader));
                Hits++;
                return cached;
            }
            catch (EndOfStreamException)
            {
                File.Delete(path); // a damaged entry is rebuilt, never trusted
            }
        }
        Misses++;
        var features = build();
        AtomicFile.Write(path, temp =>
        {
            using var writer = new BinaryWriter(File.Create(temp));
            writer.Write(features.Count);
            foreach (var f in features) write(writer, f);
        });
        return features;
    }

    private static void WriteLongs(BinaryWriter w, long[] values)
    {
        w.Write(values.Length);
        foreach (long v in values) w.Write(v);
    }

    private static long[] ReadLongs(BinaryReader r)
    {
        var values = new long[r.ReadInt32()];
        for (int i = 0; i < values.Length; i++) values[i] = r.ReadInt64();
        return values;
    }

    private static void WriteMrc(BinaryWriter w, MrcFeature f)
    {
        w.Write(f.ExampleIndex);
        WriteLongs(w, f.InputIds);
        WriteLongs(w, f.TokenTypeIds);
        WriteLongs(w, f.AttentionMask);
        w.Write(f.StartPosition);
        w.Write(f.EndPosition);
        foreach (var (s, e) in f.ContextOffsets)
        {
            w.Write(s);
            w.Write(e);
        }
        foreach (bool m in f.IsMaxContext) w.Write(m);
        w.Write(f.Followup);
        w.Write(f.YesNo);
    }

    private static MrcFeature ReadMrc(BinaryReader r)
    {
        int example = r.ReadInt32();
        var ids = ReadLongs(r);
        var types = ReadLongs(r);
        var mask = ReadLongs(r);
        int start = r.ReadInt32(), end = r.ReadInt32();
        var offsets = new (int, int)[ids.Length];
        for (int i = 0; i < ids.Length; i++) offsets[i] = (r.ReadInt32(), r.ReadInt32());
        var maxContext = new bool[ids.Length];
        for (int i = 0; i < ids.Length; i++) maxContext[i] = r.ReadBoolean();
        return new MrcFeature
        {
            ExampleIndex = example, InputIds = ids, TokenTypeIds = types, AttentionMask = mask,
            StartPosition = start, EndPosition = end, ContextOffsets = offsets, IsMaxContext = maxContext,
            Followup = r.ReadInt32(), YesNo = r.ReadInt32(),
        };
    }

    private static void WritePair(BinaryWriter w, PairFeature f)
    {
        WriteLongs(w, f.InputIds);
        WriteLongs(w, f.TokenTypeIds);
        WriteLongs(w, f.AttentionMask);
        w.Write(f.Label);
    }

    private static PairFeature ReadPair(BinaryReader r) => new(ReadLongs(r), ReadLongs(r), ReadLongs(r), r.ReadInt32());
}
