using System.Text;
using Road.Data;
using Road.Data.Toy;
using Road.Tokenization;

namespace Road.Pipeline;

/// <summary>
/// Where an experiment's datasets and tokenizer come from. Toy tasks are generated; files are found under
/// <c>ROAD_DATA</c>. Everything an experiment needs is checked by <see cref="Validate"/> before any work starts.
/// </summary>
public sealed class DataCatalog
{
    public const string DataVariable = "ROAD_DATA";
    public const string ModelsVariable = "ROAD_MODELS";
    private const int ToyDevExamples = 500;
    private const int ToyTrainExamples = 8000;

    public DataCatalog(ExperimentSpec spec)
    {
        Spec = spec;
        Tokenizer = string.IsNullOrEmpty(spec.Encoder.Checkpoint)
            ? WordPieceTokenizer.FromVocabulary(new MemoryStream(Encoding.UTF8.GetBytes(ToyWorld.Vocabulary())))
            : WordPieceTokenizer.FromVocabularyFile(Path.Combine(CheckpointFolder(spec), "vocab.txt"));
    }

    /// <summary>The experiment whose data this is; generated accessors read their task specs from it.</summary>
    public ExperimentSpec Spec { get; }

    public WordPieceTokenizer Tokenizer { get; }

    /// <summary>The vocabulary size a fresh encoder needs for this catalogue's tokenizer.</summary>
    public static int ToyVocabularySize => ToyWorld.Vocabulary().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Fails with one message listing every missing input, before anything is computed.</summary>
    public static void Validate(ExperimentSpec spec)
    {
        var problems = new List<string>();
        if (!string.IsNullOrEmpty(spec.Encoder.Checkpoint) && !Directory.Exists(CheckpointFolder(spec)))
            problems.Add($"checkpoint folder {CheckpointFolder(spec)} not found (set {ModelsVariable})");
        foreach (var task in spec.Tasks)
        {
            if (task.Format == DataFormat.Toy)
            {
                foreach (var source in new[] { task.Train, task.Dev }.Where(s => s.Length > 0 && !ToyTasks.Names.Contains(s)))
                    problems.Add($"{task.Name}: unknown toy task \"{source}\"; known: {string.Join(", ", ToyTasks.Names)}");
                continue;
            }
            problems.Add($"{task.Name}: reading {task.Format} files is not supported yet; only toy tasks are");
        }
        if (problems.Count > 0)
            throw new RoadException($"experiment {spec.Name} cannot run: {string.Join("; ", problems)}.");
    }

    public MrcDataset LoadMrc(TaskSpec task) => task.Train switch
    {
        ToyTasks.FactsMrc => new MrcDataset(task.Name, ToyTasks.Mrc(seed: 1, TrainCount(task), ToyDevExamples)),
        _ => throw Unsupported(task),
    };

    public PairDataset LoadPair(TaskSpec task) => task.Train switch
    {
        ToyTasks.FactsNli => new PairDataset(task.Name, ToyTasks.Nli(seed: 2, TrainCount(task), ToyDevExamples), ToyTasks.NliLabels),
        _ => throw Unsupported(task),
    };

    private static int TrainCount(TaskSpec task) => task.MaxTrainExamples > 0 ? task.MaxTrainExamples : ToyTrainExamples;

    private RoadException Unsupported(TaskSpec task) => new($"experiment {Spec.Name}, dataset {task.Name}: {task.Format} \"{task.Train}\" cannot be read.");

    public static string CheckpointFolder(ExperimentSpec spec) =>
        Path.IsPathRooted(spec.Encoder.Checkpoint)
            ? spec.Encoder.Checkpoint
            : Path.Combine(Environment.GetEnvironmentVariable(ModelsVariable) ?? "models", spec.Encoder.Checkpoint);
}
