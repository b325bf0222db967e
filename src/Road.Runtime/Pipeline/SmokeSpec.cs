using Road.Training;

namespace Road.Pipeline;

/// <summary>
/// <c>--smoke</c>: an experiment's whole stage graph in seconds, so that every reader, head, stage kind and report
/// layout it uses runs on every change. Each dataset becomes the real-format sample of its format (or its first
/// <see cref="Examples"/> examples when the real file is present), the encoder a 2-layer random one of the declared
/// family (teacher encoders too) reading with the declared checkpoint's tokenizer when present (a shipped vocabulary of the family's kind
/// otherwise) and without dropout (so its losses are the same on any number of data-parallel ranks), sequences
/// short, and every stage a handful of steps.
/// </summary>
public static class SmokeSpec
{
    public const int Examples = 32;

    /// <summary>What a smoke variant's name adds to the experiment's.</summary>
    public const string Suffix = "-smoke";
    private const int FinetuneBatch = 8;
    private const int MultiTaskSteps = 3;
    private const int MultiTaskBatch = 16;
    private const int ExamplesPerPass = 8;

    // The sample of each format, under the samples folder (tests/Road.Runtime.Tests/Fixtures in this repository).
    private static readonly Dictionary<DataFormat, string> Samples = new()
    {
        [DataFormat.Squad2] = "data/squad2/allennlp-squad2-fixture.json",
        [DataFormat.Mrqa] = "data/mrqa/TriviaQA-web.sample.jsonl",
        [DataFormat.NewsQa] = "data/newsqa/combined-newsqa-data-v1.sample.json",
        [DataFormat.Quac] = "data/quac/val_v0.2.sample.json",
        [DataFormat.QaSrl] = "data/qasrl-v2/qasrl-v2.sample.jsonl",
        [DataFormat.QaSrlV1] = "data/qasrl/wiki1.dev.sample.qa",
        [DataFormat.QaZre] = "data/qa_zre/relation_splits.dev.0.sample",
        [DataFormat.MultiNli] = "data/mnli/multinli_1.0_dev_matched.sample.jsonl",
        [DataFormat.GlueMnli] = "data/mnli/glue-dev_matched.sample.tsv",
        [DataFormat.Snli] = "data/snli/snli_1.0.sample.jsonl",
        [DataFormat.AmazonReviews] = "data/amazon/AMAZON_FASHION_5.sample.json",
        [DataFormat.GlueQqp] = "data/qqp/glue-dev.sample.tsv",
    };

    // Parquet holds any task; the sample follows the task kind.
    private static readonly Dictionary<TaskKind, string> ParquetSamples = new()
    {
        [TaskKind.Nli] = "data/parquet/mnli-glue-validation_matched.sample.parquet",
        [TaskKind.Paraphrase] = "data/parquet/qqp-glue-validation.sample.parquet",
    };

    private const string WordPieceVocabulary = "vocab/bert-base-uncased-vocab.txt";
    private const string SentencePieceModel = "vocab/albert-30k-clean.model";

    /// <summary>The smoke variant of <paramref name="spec"/>, named <c>&lt;name&gt;-smoke</c>.</summary>
    public static ExperimentSpec Of(ExperimentSpec spec, string samples)
    {
        if (!Directory.Exists(samples)) throw new RoadException($"--smoke: the samples folder {samples} does not exist.");
        return spec with
        {
            Name = spec.Name + Suffix,
            Runs = 1,
            Encoder = Encoder(spec.Encoder, spec.Tasks, samples, StudentLayers(spec)),
            TeacherEncoders = spec.TeacherEncoders?.Select(t => t with { Encoder = Encoder(t.Encoder, spec.Tasks, samples, TeacherLayers(spec, t.Name)), Experiment = "", Stage = "" }).ToList(),
            Tasks = spec.Tasks.Select(t => Task(t, samples)).ToList(),
            Stages = spec.Stages.Select(Stage).ToList(),
        };
    }

    // A student that starts from a teacher's layers (StageSpec.FromTeacher) keeps one layer per layer it takes, and
    // that teacher every layer named; other encoders have two.
    private static int StudentLayers(ExperimentSpec spec) =>
        spec.Stages.Select(s => s.FromTeacher?.Layers.Count).FirstOrDefault(n => n is not null) ?? TinyLayers;

    private static int TeacherLayers(ExperimentSpec spec, string encoder) =>
        Math.Max(TinyLayers, spec.Stages.Where(s => s.FromTeacher?.Encoder == encoder).SelectMany(s => s.FromTeacher!.Layers).DefaultIfEmpty(0).Max() + 1);

    private const int TinyLayers = 2;

    private static EncoderSpec Encoder(EncoderSpec encoder, IReadOnlyList<TaskSpec> tasks, string samples, int layers)
    {
        if (encoder.Vocabulary == Road.Data.Toy.ToyWorld.PiecesName) return Tiny(encoder.Family, encoder.Vocabulary, layers);
        string declared = DataCatalog.TokenizerSource(encoder) ?? "";
        string vocabulary = declared.Length > 0 && (Directory.Exists(declared) || File.Exists(declared)) ? Path.GetFullPath(declared)
            : tasks.All(t => t.Format == DataFormat.Toy) ? ""
            : Path.Combine(samples, encoder.Family == EncoderFamily.Albert ? SentencePieceModel : WordPieceVocabulary);
        return Tiny(encoder.Family, vocabulary, layers);
    }

    private static EncoderSpec Tiny(EncoderFamily family, string vocabulary, int layers) =>
        new EncoderSpec(family, Checkpoint: "", EmbeddingSize: 64, HiddenSize: 64, Layers: layers, Heads: 4, IntermediateSize: 128,
            MaxPositions: 512, Dropout: 0, Vocabulary: vocabulary);

    private static TaskSpec Task(TaskSpec task, string samples)
    {
        var shorter = task with
        {
            MaxLength = Math.Min(task.MaxLength, task.Kind == TaskKind.Mrc ? 128 : 64),
            Stride = Math.Min(task.Stride, 32),
            MaxQueryLength = Math.Min(task.MaxQueryLength, 32),
            TeacherSettings = task.TeacherSettings is { } teacher ? teacher with { Epochs = 1, BatchSize = FinetuneBatch } : null,
            OtherTeachers = task.OtherTeachers?.Select(g => g with { Settings = g.Settings with { Epochs = 1, BatchSize = FinetuneBatch } }).ToList(),
        };
        if (task.Format == DataFormat.Toy) return shorter with { MaxTrainExamples = 200 };
        bool present = (task.EvaluationOnly || File.Exists(DataCatalog.DataPath(task.Train))) && (task.Dev.Length == 0 || File.Exists(DataCatalog.DataPath(task.Dev)));
        if (present) return shorter with { MaxTrainExamples = Examples, MaxDevExamples = Examples };
        string sample = Path.Combine(samples, SampleOf(task));
        return shorter with
        {
            Train = task.EvaluationOnly ? "" : sample,
            Dev = task.Dev.Length > 0 || task.EvaluationOnly ? sample : "",
            TrainArticles = "",
            DevArticles = "",
            MaxTrainExamples = Examples,
            MaxDevExamples = Examples,
        };
    }

    private static string SampleOf(TaskSpec task) =>
        task.Format == DataFormat.Parquet
            ? ParquetSamples.GetValueOrDefault(task.Kind) ?? throw new RoadException($"--smoke: no Parquet sample of a {task.Kind} task ships with Road ({task.Name}).")
            : Samples[task.Format];

    private static StageSpec Stage(StageSpec stage) => stage.Kind switch
    {
        StageKind.Finetune => stage with { Settings = stage.Settings with { Epochs = 1, BatchSize = FinetuneBatch, GradientAccumulation = 1 } },
        StageKind.MultiTask => stage with
        {
            MultiTask = stage.MultiTask! with
            {
                Steps = MultiTaskSteps,
                BatchSize = MultiTaskBatch,
                ExamplesPerPass = stage.MultiTask.HeadPerDataset ? MultiTaskBatch : ExamplesPerPass,
            },
        },
        _ => stage,
    };
}
