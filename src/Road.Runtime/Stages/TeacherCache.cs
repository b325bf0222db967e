using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Road.Hub;
using Road.Pipeline;

namespace Road.Stages;

/// <summary>
/// Teachers reused across experiments and runs: a teacher's soft targets and result are stored under
/// <c>{ROAD_CACHE}/teachers/{key}/</c>, where the key hashes everything that decides them (the data's identity,
/// tokenizer, head shape, the initial encoder's content, settings, seed, device, precision and <see cref="CodeVersion"/>),
/// so that <c>table4-electra-large</c>, <c>table5-electra-large</c> and <c>road-electra-large</c> train the nine
/// multi-task teachers once. Entries are written to a temporary folder and renamed; an entry whose targets no longer
/// match their recorded SHA-256 is deleted and the teacher trained again. Teachers finetuned from a stage
/// (<c>[Teacher(From)]</c>) are not cached: their key would need the whole upstream graph's.
/// </summary>
public sealed class TeacherCache(string root)
{
    public const string Variable = "ROAD_CACHE";

    /// <summary>Bumped whenever a change to training, teachers or their outputs makes stored teachers stale.</summary>
    public const int CodeVersion = 1;

    private const string TargetsFile = "targets.safetensors";
    private const string EntryFile = "entry.json";

    public string Root { get; } = root;

    /// <summary>The cache under <c>ROAD_CACHE</c> (default <c>~/.cache/road</c>).</summary>
    public static TeacherCache FromEnvironment() => new(Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root ? root
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "road"));

    /// <summary>The key of a teacher: SHA-256 over the inputs that decide its soft targets.</summary>
    public static string Key(IEnumerable<string> inputs) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", inputs.Prepend($"teacher v{CodeVersion}")))));

    /// <summary>Whether the cache holds an entry for the key (not yet verified: <see cref="TryRestore"/> checks it).</summary>
    public bool Holds(string key) => File.Exists(Path.Combine(Folder(key), EntryFile)) && File.Exists(Path.Combine(Folder(key), TargetsFile));

    /// <summary>A sound stored teacher: its metrics, and the file its soft targets are read from.</summary>
    public sealed record Restored(IReadOnlyDictionary<string, double> Metrics, string Targets);

    /// <summary>A stored teacher, its targets (and their provenance) copied to <paramref name="copyTo"/> when given
    /// (the run folder's writer), else read where they are stored; null when the cache has no sound entry for the
    /// key. A damaged entry is deleted by the writer.</summary>
    public Restored? TryRestore(string key, string? copyTo)
    {
        string folder = Folder(key);
        var entry = Entry.Read(Path.Combine(folder, EntryFile));
        string stored = Path.Combine(folder, TargetsFile);
        if (entry is null || !File.Exists(stored)) return null;
        if (ContentHash.Compute(HashKind.Sha256, stored).ToString() != entry.TargetsSha256)
        {
            if (copyTo is not null) Directory.Delete(folder, recursive: true);
            return null;
        }
        if (copyTo is null) return new Restored(entry.Metrics, stored);
        AtomicFile.Write(copyTo, temp => File.Copy(stored, temp));
        AtomicFile.Write(Path.ChangeExtension(copyTo, ".json"), temp => File.Copy(Path.ChangeExtension(stored, ".json"), temp));
        return new Restored(entry.Metrics, copyTo);
    }

    /// <summary>Stores a trained teacher's targets and metrics under its key, replacing any entry there.</summary>
    public void Store(string key, string targets, IReadOnlyDictionary<string, double> metrics)
    {
        string folder = Folder(key);
        string temp = folder + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        File.Copy(targets, Path.Combine(temp, TargetsFile));
        File.Copy(Path.ChangeExtension(targets, ".json"), Path.Combine(temp, Path.ChangeExtension(TargetsFile, ".json")));
        new Entry(ContentHash.Compute(HashKind.Sha256, targets).ToString(), metrics).Write(Path.Combine(temp, EntryFile));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(temp, folder);
    }

    private string Folder(string key) => Path.Combine(Root, "teachers", key);

    private sealed record Entry(string TargetsSha256, IReadOnlyDictionary<string, double> Metrics)
    {
        public static Entry? Read(string path)
        {
            if (!File.Exists(path)) return null;
            try
            {
                return JsonSerializer.Deserialize<Entry>(File.ReadAllText(path));
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this));
    }
}
