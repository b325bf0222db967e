using System.Text.Json;
using Road.Hub;
using Road.Pipeline;

namespace Road.Stages;

/// <summary>
/// Stages reused across runs and experiments: a finished stage's folder (result, per-step losses, encoder, head,
/// prediction files; not its training checkpoint) and, for a teacher, its soft targets are stored under
/// <c>{ROAD_CACHE}/stages/{key}/</c>, keyed by <see cref="StageKeys"/>. A run whose stage has a stored entry copies it
/// into its own folder and takes the stage back as a resumed run would, instead of training it: so
/// <c>table4-electra-large</c>, <c>table5-electra-large</c> and <c>road-electra-large</c> train their common teachers
/// once, and a run that changes only its finetuning retrains only that. Entries are written to a temporary folder
/// and renamed; every file's SHA-256 is checked before an entry is used, and a damaged one is deleted and the stage
/// trained again. Entries hold whole encoders (1.3 GB for ELECTRA-large): delete the folder to reclaim the space.
/// </summary>
public sealed class StageCache(string root)
{
    public const string Variable = "ROAD_CACHE";

    /// <summary>Bumped whenever a change to training, teachers or their outputs makes stored stages stale (3: stage
    /// folders gained the tokenizer files and task.json; 4: losses.tsv gained the learning rate and gradient norm; 5:
    /// checkpoints load without drawing initial weights, so a stage's random stream after loading is another).</summary>
    public const int CodeVersion = 5;

    private const string EntryFile = "entry.json";
    private const string StageFolder = "stage";
    private const string Targets = "targets.safetensors";
    private const string TargetsProvenance = "targets.json";

    public string Root { get; } = root;

    /// <summary>The cache under <c>ROAD_CACHE</c> (default <c>~/.cache/road</c>).</summary>
    public static StageCache FromEnvironment() => new(Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root ? root
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "road"));

    /// <summary>Whether the cache holds an entry for the key (not yet verified: <see cref="TryRestore"/> checks it).</summary>
    public bool Holds(string key) => File.Exists(Path.Combine(Folder(key), EntryFile));

    /// <summary>Copies a stored stage into the run folder as <paramref name="stage"/> (a teacher's soft targets to
    /// <paramref name="targets"/>); false, and the entry deleted when damaged, when there is no sound one.</summary>
    public bool TryRestore(string key, RunFolder run, string stage, string? targets)
    {
        string folder = Folder(key);
        var entry = Entry.Read(Path.Combine(folder, EntryFile));
        if (entry is null) return false;
        foreach (var (file, hash) in entry.Files)
        {
            string stored = Path.Combine(folder, file);
            if (File.Exists(stored) && ContentHash.Compute(HashKind.Sha256, stored).ToString() == hash) continue;
            Directory.Delete(folder, recursive: true);
            return false;
        }
        foreach (string file in entry.Files.Keys)
        {
            string target = file switch
            {
                Targets => targets ?? throw new RoadException($"{folder}: a teacher's entry, read for stage {stage}, which is not a teacher; delete the entry."),
                TargetsProvenance => Path.ChangeExtension(targets ?? "", ".json"),
                _ => run.File(["stages", stage, .. Path.GetRelativePath(StageFolder, file).Split('/')]),
            };
            AtomicFile.Write(target, temp => File.Copy(Path.Combine(folder, file), temp));
        }
        return true;
    }

    /// <summary>Stores a finished stage's folder (and a teacher's soft targets) under its key, replacing any entry.</summary>
    public void Store(string key, RunFolder run, string stage, string? targets)
    {
        string folder = Folder(key);
        string temp = folder + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        string source = run.File("stages", stage);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string from, string name)
        {
            string to = Path.Combine(temp, name);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
            files[name] = ContentHash.Compute(HashKind.Sha256, to).ToString();
        }
        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (!relative.StartsWith("checkpoint/", StringComparison.Ordinal)) Add(file, Path.Combine(StageFolder, relative));
        }
        if (targets is not null)
        {
            Add(targets, Targets);
            Add(Path.ChangeExtension(targets, ".json"), TargetsProvenance);
        }
        new Entry(stage, files).Write(Path.Combine(temp, EntryFile));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(temp, folder);
    }

    private string Folder(string key) => Path.Combine(Root, "stages", key);

    /// <summary>entry.json: the stage as it was named where it was trained, and every stored file's SHA-256.</summary>
    private sealed record Entry(string Stage, IReadOnlyDictionary<string, string> Files)
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
