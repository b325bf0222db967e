using System.Text;
using Road.Data;
using Road.Data.Readers;
using Road.Data.Toy;
using Road.Stages;
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

    public DataCatalog(ExperimentSpec spec, int? seed = null)
    {
        Spec = spec;
        Seed = seed ?? spec.Seed;
        Tokenizer = TokenizerOf(spec.Encoder);
    }

    /// <summary>The experiment whose data this is; generated accessors read their task specs from it.</summary>
    public ExperimentSpec Spec { get; }

    /// <summary>The run's seed, which also seeds data augmentation.</summary>
    public int Seed { get; }

    public ITokenizer Tokenizer { get; }

    /// <summary>The toy world's WordPiece vocabulary: what a fresh encoder without a declared vocabulary reads toy data with.</summary>
    public static WordPieceTokenizer ToyTokenizer() => WordPieceTokenizer.FromVocabulary(new MemoryStream(Encoding.UTF8.GetBytes(ToyWorld.Vocabulary())));

    /// <summary>Where the experiment's tokenizer comes from: the declared vocabulary, else the checkpoint folder; null
    /// for the toy vocabulary.</summary>
    public static string? TokenizerSource(ExperimentSpec spec) => TokenizerSource(spec.Encoder);

    /// <summary>Where an encoder's tokenizer comes from (see <see cref="TokenizerSource(ExperimentSpec)"/>).</summary>
    public static string? TokenizerSource(EncoderSpec encoder) =>
        encoder.Vocabulary.Length > 0 ? ModelPath(encoder.Vocabulary)
        : encoder.Checkpoint.Length > 0 ? ModelPath(encoder.Checkpoint)
        : null;

    /// <summary>The tokenizer an encoder reads with: its vocabulary or checkpoint's, <see cref="ToyWorld.PiecesVocabulary"/>
    /// for <c>Vocabulary = "toy/pieces"</c>, else the toy vocabulary.</summary>
    public static ITokenizer TokenizerOf(EncoderSpec encoder) =>
        encoder.Vocabulary == ToyWorld.PiecesName ? WordPieceTokenizer.FromVocabulary(new MemoryStream(Encoding.UTF8.GetBytes(ToyWorld.PiecesVocabulary())))
        : TokenizerSource(encoder) is { } source ? TokenizerFiles.Load(source)
        : ToyTokenizer();

    /// <summary>Fails with one message listing every missing or damaged input (with the command that fetches it) and
    /// every declaration the data contradicts, before anything is computed.</summary>
    public static void Validate(ExperimentSpec spec)
    {
        var problems = new List<string>();
        var inputs = InputChecks.Of(spec);
        problems.AddRange(inputs.Where(i => i.Blocks).Select(i => i.Problem));
        int positions = Positions(spec.Encoder, "the experiment", problems);
        foreach (var task in spec.Tasks.Where(t => t.MaxLength > positions))
            problems.Add($"{task.Name}: MaxLength {task.MaxLength} is longer than the encoder's {positions} positions (max_position_embeddings); lower it");
        if (MissingVocabulary(spec.Encoder) is { } vocabulary) problems.Add($"vocabulary {vocabulary} not found (set {ModelsVariable})");
        foreach (var teacher in spec.TeacherEncoders ?? [])
        {
            int teacherPositions = Positions(teacher.Encoder, $"teacher encoder {teacher.Name}", problems);
            foreach (var task in spec.Tasks.Where(t => t.MaxLength > teacherPositions && (t.OtherTeachers ?? []).Any(g => g.Encoder == teacher.Name)))
                problems.Add($"{task.Name}: MaxLength {task.MaxLength} is longer than the {teacherPositions} positions of teacher encoder {teacher.Name} (max_position_embeddings); lower it");
            if (MissingVocabulary(teacher.Encoder) is { } missing) problems.Add($"teacher encoder {teacher.Name}: vocabulary {missing} not found (set {ModelsVariable})");
        }
        if (TokenizerSource(spec) is null && spec.Tasks.FirstOrDefault(t => t.Format != DataFormat.Toy) is { } real)
            problems.Add($"{real.Name} is {real.Format} data, but the encoder has neither a checkpoint nor a vocabulary, and the toy vocabulary would turn real text into [UNK]; declare [Encoder(..., Vocabulary = \"<vocab.txt, spiece.model or checkpoint folder>\")]");
        foreach (var task in spec.Tasks)
        {
            if (task.TrainArticles.Length > 0 || task.DevArticles.Length > 0)
            {
                if (task.Format == DataFormat.Toy || !DatasetFormats.WithArticles.Contains(FormatId(task.Format)))
                    problems.Add($"{task.Name}: articles can be selected in Squad2 and Quac files only, not {task.Format}");
                else
                {
                    try
                    {
                        ArticleRange.Parse(task.TrainArticles);
                        ArticleRange.Parse(task.DevArticles);
                    }
                    catch (RoadException e)
                    {
                        problems.Add($"{task.Name}: {e.Message.TrimEnd('.')}");
                    }
                }
            }
            if (task.Format == DataFormat.Toy)
            {
                foreach (var source in new[] { task.Train, task.Dev }.Where(s => s.Length > 0 && !ToyTasks.Names.Contains(s)))
                    problems.Add($"{task.Name}: unknown toy task \"{source}\"; known: {string.Join(", ", ToyTasks.Names)}");
                continue;
            }
            if (!Fits(task)) problems.Add($"{task.Name}: {task.Format} data cannot feed a {task.Kind} task");
        }
        if (problems.Count > 0)
            throw new RoadException($"experiment {spec.Name} cannot run: {string.Join("; ", problems)}.");
    }

    // An encoder's positions: its checkpoint's (checked against the declared family) when the folder is there, else the declared ones.
    private static int Positions(EncoderSpec encoder, string declarer, List<string> problems) =>
        encoder.Checkpoint.Length > 0 && Directory.Exists(ModelPath(encoder.Checkpoint))
            ? CheckCheckpointConfig(encoder, declarer, problems) ?? encoder.MaxPositions
            : encoder.MaxPositions;

    // A declared vocabulary file or folder that is not there (the path), or null.
    private static string? MissingVocabulary(EncoderSpec encoder) =>
        encoder.Vocabulary.Length > 0 && encoder.Vocabulary != ToyWorld.PiecesName
        && !File.Exists(ModelPath(encoder.Vocabulary)) && !Directory.Exists(ModelPath(encoder.Vocabulary)) ? ModelPath(encoder.Vocabulary) : null;

    // The checkpoint's config.json must read, and describe the declared family; returns its max positions.
    private static int? CheckCheckpointConfig(EncoderSpec encoder, string declarer, List<string> problems)
    {
        string folder = ModelPath(encoder.Checkpoint);
        try
        {
            var config = Road.Encoders.EncoderCheckpoint.ReadConfig(folder);
            string declared = encoder.Family.ToString().ToLowerInvariant();
            if (config.ModelType != declared)
                problems.Add($"{folder} holds model_type \"{config.ModelType}\" (config.json), but {declarer} declares EncoderFamily.{encoder.Family}");
            return config.MaxPositionEmbeddings;
        }
        catch (RoadException e)
        {
            problems.Add(e.Message.TrimEnd('.'));
            return null;
        }
    }

    /// <summary>Where tokenized features are kept between runs.</summary>
    public FeatureCache Cache { get; init; } = FeatureCache.Default();

    /// <summary>What the examples of one split are made of: a toy task's name and size, or a file's format and SHA-256.</summary>
    public string Identity(TaskSpec task, string split)
    {
        string augmentation = split == "train" && task.NegativeQuestionRatio > 0 ? $" negative={task.NegativeQuestionRatio} seed={Seed}" : "";
        if (task.Format == DataFormat.Toy) return $"toy {task.Train} {split} train={TrainCount(task, ToyTrainExamples)} dev={ToyDevExamples}{augmentation}";
        string file = split == "train" ? task.Train : task.Dev;
        string articles = split == "train" ? task.TrainArticles : task.DevArticles;
        return $"{task.Format} {split} limit={(split == "train" ? task.MaxTrainExamples : task.MaxDevExamples)} articles={articles} sha256={Road.Hub.ContentHash.OfInput(Road.Hub.HashKind.Sha256, DataPath(file)).Hex}{augmentation}";
    }

    /// <summary>Whether the first reader fault fails the run (<c>--strict</c>).</summary>
    public bool Strict { get; init; }

    private readonly Dictionary<(string Task, string Split), SplitReport> _reports = new();
    private readonly Dictionary<string, BoundTask> _bound = new(StringComparer.Ordinal);

    /// <summary>What reading a split met; null before the split is read.</summary>
    public SplitReport? Report(TaskSpec task, string split) => _reports.GetValueOrDefault((task.Name, split));

    /// <summary>A dataset with its declaration, read once per catalogue whichever way it is asked for.</summary>
    public MrcDataset LoadMrc(TaskSpec task) => Bind(task).Mrc!;

    public PairDataset LoadPair(TaskSpec task) => Bind(task).Pairs!;

    public TextDataset LoadText(TaskSpec task) => Bind(task).Texts!;

    public BoundTask Bind(TaskSpec task)
    {
        if (_bound.TryGetValue(task.Name, out var bound)) return bound;
        bound = task.Kind switch
        {
            TaskKind.Mrc => new BoundTask(task, ReadMrc(task)),
            TaskKind.Sentiment => new BoundTask(task, ReadText(task)),
            _ => new BoundTask(task, ReadPair(task)),
        };
        return _bound[task.Name] = bound;
    }

    private MrcDataset ReadMrc(TaskSpec task)
    {
        if (task.Format == DataFormat.Toy)
        {
            if (task.Train != ToyTasks.FactsMrc) throw Unsupported(task);
            var toy = ToyTasks.Mrc(seed: 1, TrainCount(task, ToyTrainExamples), ToyDevExamples);
            if (task.NegativeQuestionRatio > 0) toy = toy with { Train = NegativeQuestions.Augment(toy.Train, task.NegativeQuestionRatio, Seed) };
            return new MrcDataset(task.Name, Generated(task, toy));
        }
        var train = new List<MrcExample>();
        if (!task.EvaluationOnly)
        {
            var trainReport = NewReport(task, "train", task.Train);
            // Training uses only questions it can label: unanswerable, or with an answer at its offset.
            train = Limit(Usable(Read(task, task.Train, trainReport, task.TrainArticles).Questions ?? throw Unsupported(task), trainReport), task);
            trainReport.Use(train.Count);
        }
        var dev = task.Dev.Length > 0 ? Counted(LimitDev(Read(task, task.Dev, NewReport(task, "dev", task.Dev), task.DevArticles).Questions ?? throw Unsupported(task), task), _reports[(task.Name, "dev")]) : [];
        if (task.NegativeQuestionRatio > 0) train = NegativeQuestions.Augment(train, task.NegativeQuestionRatio, Seed);
        return new MrcDataset(task.Name, new Splits<MrcExample>(train, dev));
    }

    private PairDataset ReadPair(TaskSpec task)
    {
        if (task.Format == DataFormat.Toy)
        {
            return task.Train == ToyTasks.FactsNli
                ? new PairDataset(task.Name, Generated(task, ToyTasks.Nli(seed: 2, TrainCount(task, ToyTrainExamples), ToyDevExamples)), ToyTasks.NliLabels)
                : throw Unsupported(task);
        }
        var (train, labels) = ReadLabelled(task, contents => contents.Pairs);
        return new PairDataset(task.Name, train, labels);
    }

    private TextDataset ReadText(TaskSpec task)
    {
        var (train, labels) = ReadLabelled(task, contents => contents.Texts);
        return new TextDataset(task.Name, train, labels);
    }

    // Sentence pairs or single texts with their label names, taken from the training file (or, for a dataset only
    // evaluated on, the dev file).
    private (Splits<T> Splits, IReadOnlyList<string> Labels) ReadLabelled<T>(TaskSpec task, Func<DatasetContents, IEnumerable<T>?> examples)
    {
        DatasetContents? trainFile = task.EvaluationOnly ? null : Read(task, task.Train, NewReport(task, "train", task.Train));
        var train = trainFile is null ? [] : Counted(Limit(examples(trainFile) ?? throw Unsupported(task), task), _reports[(task.Name, "train")]);
        DatasetContents? devFile = task.Dev.Length > 0 ? Read(task, task.Dev, NewReport(task, "dev", task.Dev)) : null;
        var dev = devFile is null ? [] : Counted(LimitDev(examples(devFile) ?? throw Unsupported(task), task), _reports[(task.Name, "dev")]);
        var labels = (trainFile ?? devFile)?.LabelNames ?? throw new RoadException($"experiment {Spec.Name}, dataset {task.Name}: neither a training nor a dev file is declared.");
        return (new Splits<T>(train, dev), CheckedLabels(task, labels));
    }

    private SplitReport NewReport(TaskSpec task, string split, string file) => _reports[(task.Name, split)] = new SplitReport(DataPath(file), Strict);

    private Splits<T> Generated<T>(TaskSpec task, Splits<T> toy)
    {
        NewReport(task, "train", task.Train).Use(toy.Train.Count);
        NewReport(task, "dev", task.Dev.Length > 0 ? task.Dev : task.Train).Use(toy.Dev.Count);
        return toy;
    }

    private static IEnumerable<MrcExample> Usable(IEnumerable<MrcExample> questions, SplitReport report)
    {
        foreach (var question in questions)
        {
            if (question.IsTrainable) yield return question;
            else report.Unusable("no answer at its offset");
        }
    }

    private static List<T> Counted<T>(IEnumerable<T> examples, SplitReport report)
    {
        var list = examples.ToList();
        report.Use(list.Count);
        return list;
    }

    // The head is built with the declared class count; data with other labels would train the wrong head.
    private IReadOnlyList<string> CheckedLabels(TaskSpec task, IReadOnlyList<string> labels) =>
        task.Classes == 0 || task.Classes == labels.Count
            ? labels
            : throw new RoadException($"experiment {Spec.Name}, dataset {task.Name}: the declaration says Classes = {task.Classes}, but {task.Train} ({task.Format}) has {labels.Count} labels ({string.Join(", ", labels)}); declare Classes = {labels.Count}.");

    /// <summary>The reader id of a DSL data format.</summary>
    public static string FormatId(DataFormat format) => format switch
    {
        DataFormat.Squad2 => "squad2",
        DataFormat.Mrqa => "mrqa",
        DataFormat.NewsQa => "newsqa",
        DataFormat.Quac => "quac",
        DataFormat.QaSrl => "qasrl",
        DataFormat.QaSrlV1 => "qasrl-v1",
        DataFormat.QaZre => "qazre",
        DataFormat.MultiNli => "mnli",
        DataFormat.GlueMnli => "glue-mnli",
        DataFormat.Snli => "snli",
        DataFormat.AmazonReviews => "amazon",
        DataFormat.GlueQqp => "glue-qqp",
        DataFormat.Parquet => "parquet",
        _ => throw new RoadException($"data format {format} has no reader."),
    };

    private static bool Fits(TaskSpec task) => TaskFormats.Fits(task.Kind.ToString(), task.Format.ToString());
    private static DatasetContents Read(TaskSpec task, string file, SplitReport report, string articles = "") =>
        DatasetFormats.Read(FormatId(task.Format), DataPath(file), report.Reader, ArticleRange.Parse(articles));

    private static List<T> Limit<T>(IEnumerable<T> examples, TaskSpec task) =>
        (task.MaxTrainExamples > 0 ? examples.Take(task.MaxTrainExamples) : examples).ToList();

    private static IEnumerable<T> LimitDev<T>(IEnumerable<T> examples, TaskSpec task) =>
        task.MaxDevExamples > 0 ? examples.Take(task.MaxDevExamples) : examples;

    private static int TrainCount(TaskSpec task, int fallback) => task.MaxTrainExamples > 0 ? task.MaxTrainExamples : fallback;

    /// <summary>A data file: absolute, or under <c>ROAD_DATA</c> (default ./data).</summary>
    public static string DataPath(string file) =>
        Path.IsPathRooted(file) ? file : Path.Combine(Environment.GetEnvironmentVariable(DataVariable) ?? "data", file);

    private RoadException Unsupported(TaskSpec task) => new($"experiment {Spec.Name}, dataset {task.Name}: {task.Format} \"{(task.EvaluationOnly ? task.Dev : task.Train)}\" does not hold {task.Kind} examples.");

    // Checkpoints and vocabularies: absolute, or under ROAD_MODELS (default ./models).
    public static string ModelPath(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(Environment.GetEnvironmentVariable(ModelsVariable) ?? "models", path);
}
