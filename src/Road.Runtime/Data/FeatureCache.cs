using System.Security.Cryptography;
using System.Text;

namespace Road.Data;

/// <summary>
/// Features kept on disk between runs, keyed by everything they depend on: the tokenizer's fingerprint, the window
/// settings, the data's identity (a file's SHA-256, or a toy task's name and size) and the version of the layout and of
/// how files are read (4: a repeated question id keeps its last question).
/// A second run with the same key reads the features instead of tokenizing again. Files are written atomically.
/// </summary>
public sealed class FeatureCache(string folder)
{
    public const string FolderVariable = "ROAD_CACHE";
    private const int LayoutVersion = 4;

    public string Folder { get; } = folder;

    /// <summary>Hits and misses of this instance, for logs and tests.</summary>
    public int Hits { get; private set; }
    public int Misses { get; private set; }

    public static FeatureCache Default() => new(Environment.GetEnvironmentVariable(FolderVariable) ?? Path.Combine(".road-cache", "features"));

    public List<MrcFeature> Mrc(IEnumerable<string> key, Func<List<MrcFeature>> build) => GetOrBuild("mrc", key, build, WriteMrc, ReadMrc);

    public List<PairFeature> Pairs(IEnumerable<string> key, Func<List<PairFeature>> build) => GetOrBuild("pair", key, build, WritePairs, ReadPairs);

    private List<T> GetOrBuild<T>(string kind, IEnumerable<string> key, Func<List<T>> build, Action<BinaryWriter, List<T>> write, Func<BinaryReader, List<T>> read)
    {
        string id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", key.Prepend($"{kind} v{LayoutVersion}")))));
        string path = Path.Combine(Folder, $"{kind}-{id}.bin");
        if (File.Exists(path))
        {
            try
            {
                using var reader = new BinaryReader(new BufferedStream(File.OpenRead(path), 1 << 16));
                var cached = read(reader);
                Hits++;
                return cached;
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                File.Delete(path); // a damaged entry is rebuilt, never trusted
            }
        }
        Misses++;
        var features = build();
        AtomicFile.Write(path, temp =>
        {
            using var writer = new BinaryWriter(new BufferedStream(File.Create(temp), 1 << 16));
            write(writer, features);
        });
        return features;
    }

    // MRC features share their context's tokens and their question's window layout: each is written once, and
    // features refer to them by index.
    private static void WriteMrc(BinaryWriter w, List<MrcFeature> features)
    {
        var contexts = new Dictionary<ContextTokens, int>(ReferenceEqualityComparer.Instance);
        var layouts = new Dictionary<WindowLayout, int>(ReferenceEqualityComparer.Instance);
        foreach (var f in features)
        {
            contexts.TryAdd(f.Context, contexts.Count);
            layouts.TryAdd(f.Layout, layouts.Count);
        }
        w.Write(contexts.Count);
        foreach (var context in contexts.Keys) context.Write(w);
        w.Write(layouts.Count);
        foreach (var layout in layouts.Keys)
        {
            w.Write(layout.Room);
            w.Write(layout.ContextCount);
            w.Write(layout.Starts.Length);
            foreach (int start in layout.Starts) w.Write(start);
        }
        w.Write(features.Count);
        foreach (var f in features)
        {
            w.Write(f.ExampleIndex);
            f.Ids.Write(w);
            w.Write(f.QuestionLength);
            w.Write(contexts[f.Context]);
            w.Write(layouts[f.Layout]);
            w.Write(f.WindowStart);
            w.Write(f.StartPosition);
            w.Write(f.EndPosition);
            w.Write(f.Followup);
            w.Write(f.YesNo);
        }
    }

    private static List<MrcFeature> ReadMrc(BinaryReader r)
    {
        var contexts = new ContextTokens[r.ReadInt32()];
        for (int i = 0; i < contexts.Length; i++) contexts[i] = ContextTokens.Read(r);
        var layouts = new WindowLayout[r.ReadInt32()];
        for (int i = 0; i < layouts.Length; i++)
        {
            int room = r.ReadInt32(), count = r.ReadInt32();
            var starts = new int[r.ReadInt32()];
            for (int s = 0; s < starts.Length; s++) starts[s] = r.ReadInt32();
            layouts[i] = new WindowLayout(starts, room, count);
        }
        var features = new List<MrcFeature>(r.ReadInt32());
        for (int i = features.Capacity; i > 0; i--)
        {
            features.Add(new MrcFeature
            {
                ExampleIndex = r.ReadInt32(),
                Ids = CompactIds.Read(r),
                QuestionLength = r.ReadInt32(),
                Context = contexts[r.ReadInt32()],
                Layout = layouts[r.ReadInt32()],
                WindowStart = r.ReadInt32(),
                StartPosition = r.ReadInt32(),
                EndPosition = r.ReadInt32(),
                Followup = r.ReadInt32(),
                YesNo = r.ReadInt32(),
            });
        }
        return features;
    }

    private static void WritePairs(BinaryWriter w, List<PairFeature> features)
    {
        w.Write(features.Count);
        foreach (var f in features)
        {
            f.Ids.Write(w);
            w.Write(f.SecondSegment);
            w.Write(f.Label);
        }
    }

    private static List<PairFeature> ReadPairs(BinaryReader r)
    {
        var features = new List<PairFeature>(r.ReadInt32());
        for (int i = features.Capacity; i > 0; i--) features.Add(new PairFeature(CompactIds.Read(r), r.ReadInt32(), r.ReadInt32()));
        return features;
    }
}
