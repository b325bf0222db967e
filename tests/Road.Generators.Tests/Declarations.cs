namespace Road.Generators.Tests;

/// <summary>Experiment declarations the tests compile.</summary>
internal static class Declarations
{
    public const string Tiny = """
        using Road;
        using Road.Data;
        using Road.Pipeline;

        namespace Road.Examples;

        [Experiment("road-tiny", Description = "Tiny ELECTRA on toy tasks.", Seed = 13)]
        [Encoder(EncoderFamily.Electra, EmbeddingSize = 64, HiddenSize = 64, Layers = 2, Heads = 4, IntermediateSize = 128, MaxPositions = 64, Dropout = 0.0)]
        public partial class RoadTiny
        {
            [MrcTask(DataFormat.Toy, "toy/facts-mrc", Dev = "toy/facts-mrc", MaxTrainExamples = 8000, MaxLength = 40, Stride = 8, MaxQueryLength = 12)]
            [NegativeQuestions(Ratio = 0.25)]
            public partial MrcDataset FactsMrc { get; }

            [NliTask(DataFormat.Toy, "toy/facts-nli", Dev = "toy/facts-nli", MaxLength = 24)]
            public partial PairDataset FactsNli { get; }

            [Finetune(nameof(FactsMrc), Epochs = 12, LearningRate = 1e-3)]
            public partial StageSpec FinetuneMrc { get; }

            [Finetune(nameof(FactsNli)), LabelSmoothing(Epsilon = 0.1)]
            internal partial StageSpec FinetuneNli { get; }
        }
        """;

    public const string Distilled = """
        using Road;
        using Road.Data;
        using Road.Pipeline;

        namespace Road.Examples;

        [Experiment("distilled")]
        [Encoder(EncoderFamily.Electra, HiddenSize = 64, Vocabulary = "electra-base-discriminator")]
        public partial class Distilled
        {
            [MrcTask(DataFormat.Squad2, "squad2/train-v2.0.json", Dev = "squad2/dev-v2.0.json"), Teacher(Seeds = 3, Epochs = 2)]
            public partial MrcDataset Squad { get; }

            [NliTask(DataFormat.MultiNli, "mnli/train.jsonl"), Teacher]
            public partial PairDataset Mnli { get; }

            [MrcTask(DataFormat.Quac, "quac/train_v0.2.json", FollowupHead = true, YesNoHead = true), Teacher]
            public partial MrcDataset Quac { get; }

            [SentimentTask(DataFormat.AmazonReviews, "amazon/reviews.json", Classes = 5), Teacher]
            public partial TextDataset Amazon { get; }

            [ParaphraseTask(DataFormat.GlueQqp, "qqp/train.tsv"), Teacher]
            public partial PairDataset Qqp { get; }

            [Finetune(nameof(Amazon), Row = "sentiment")]
            public partial StageSpec TuneAmazon { get; }

            [MultiTaskPretraining(Mode = MultiTaskMode.MtDnn, Sampling = TaskSampling.Temperature, Steps = 100, BatchSize = 64), KnowledgeDistillation(Alpha = 0.3)]
            public partial StageSpec Pretrain { get; }

            [Finetune(nameof(Squad), From = nameof(Pretrain), Row = "weighted", LayerDecay = 0.9), WeightedKd(W = 0.25, Teachers = 3)]
            public partial StageSpec Tune { get; }
        }
        """;

    /// <summary>Teachers of other encoders: a BERT and an ALBERT teacher encoder beside the experiment's ELECTRA, one
    /// dataset with teachers of all three, another whose teacher-encoder teachers no stage reads.</summary>
    public const string Hetero = """
        using Road;
        using Road.Data;
        using Road.Pipeline;

        namespace Road.Examples;

        [Experiment("hetero")]
        [Encoder(EncoderFamily.Electra, Checkpoint = "google/electra-large-discriminator")]
        [TeacherEncoder("bert", EncoderFamily.Bert, Checkpoint = "google-bert/bert-large-uncased")]
        [TeacherEncoder("albert", EncoderFamily.Albert, Vocabulary = "albert-base-v2/spiece.model", HiddenSize = 128, Layers = 4)]
        public partial class Hetero
        {
            [MrcTask(DataFormat.Squad2, "squad2/train-v2.0.json", Dev = "squad2/dev-v2.0.json")]
            [Teacher, Teacher(Encoder = "bert", Epochs = 3), Teacher(Encoder = "albert", Seeds = 2, LearningRate = 2e-5)]
            public partial MrcDataset Squad { get; }

            [NliTask(DataFormat.MultiNli, "mnli/train.jsonl"), Teacher(Encoder = "bert")]
            public partial PairDataset Mnli { get; }

            [Finetune(nameof(Squad), Row = "weighted"), WeightedKd(Teachers = 4)]
            public partial StageSpec Tune { get; }
        }
        """;

    /// <summary>The shapes the paper's experiments need: teachers finetuned from a multi-task stage, multi-task
    /// pretraining on some datasets, an out-of-domain evaluation, dataset labels and the paper's figures.</summary>
    public const string PaperShaped = """
        using Road;
        using Road.Data;
        using Road.Pipeline;

        namespace Road.Examples;

        [Experiment("paper-shaped", Runs = 5)]
        [Encoder(EncoderFamily.Electra, Checkpoint = "google/electra-large-discriminator")]
        public partial class PaperShaped
        {
            [MrcTask(DataFormat.Mrqa, "triviaqa/train.jsonl.gz"), Teacher(LayerDecay = 0.9)] public partial MrcDataset TriviaQa { get; }
            [NliTask(DataFormat.Parquet, "mnli/train.parquet", Dev = "mnli/validation_matched.parquet", Label = "MNLI-m"), Teacher] public partial PairDataset Mnli { get; }
            [MrcTask(DataFormat.Squad2, "squad2/train-v2.0.json", Dev = "squad2/dev-v2.0.json", Label = "SQuAD 2.0"), Teacher(Seeds = 3, From = nameof(Mtl))] public partial MrcDataset Squad2 { get; }
            [MrcTask(DataFormat.Mrqa, "", Dev = "newsqa/dev.jsonl.gz", Label = "NewsQA*")] public partial MrcDataset NewsQa { get; }

            [MultiTaskPretraining(Datasets = new[] { nameof(TriviaQa), nameof(Mnli) }), KnowledgeDistillation] public partial StageSpec Mtl { get; }

            [Finetune(nameof(Squad2), From = nameof(Mtl), Row = "ROaD", LayerDecay = 0.9, PaperEm = 88.5, PaperF1 = 91.25), WeightedKd(Teachers = 3)]
            public partial StageSpec Finetune { get; }

            [Evaluate(nameof(NewsQa), Model = nameof(Finetune), Row = "ROaD")] public partial StageSpec NewsQaOutOfDomain { get; }
        }
        """;

    /// <summary>Datasets shared through an <c>[ExperimentBase]</c>: one experiment distils from their teachers and names the
    /// base for all of them in multi-task pretraining; another inherits its stages from a second base and, distilling
    /// from nothing, trains no teachers.</summary>
    public const string Shared = """
        using Road;
        using Road.Data;
        using Road.Pipeline;

        namespace Road.Examples;

        [ExperimentBase]
        public abstract partial class Common
        {
            [MrcTask(DataFormat.Mrqa, "triviaqa/train.jsonl.gz", Label = "TriviaQA"), Teacher] public partial MrcDataset TriviaQa { get; }
            [NliTask(DataFormat.Snli, "snli/train.jsonl"), Teacher(Seeds = 2)] public partial PairDataset Snli { get; }
        }

        [Experiment("with-kd")]
        [Encoder(EncoderFamily.Electra, Checkpoint = "google/electra-base-discriminator")]
        public partial class WithKd : Common
        {
            [MrcTask(DataFormat.Squad2, "squad2/train-v2.0.json", Dev = "squad2/dev-v2.0.json")] public partial MrcDataset Squad2 { get; }
            [MultiTaskPretraining(Datasets = new[] { nameof(Common) }), KnowledgeDistillation] public partial StageSpec Mtl { get; }
            [Finetune(nameof(Squad2), From = nameof(Mtl))] public partial StageSpec Tune { get; }
        }

        [ExperimentBase]
        public abstract partial class Table : Common
        {
            [MultiTaskPretraining] public partial StageSpec Mtl { get; }
            [Finetune(nameof(Snli), From = nameof(Mtl), Row = "mtl")] public partial StageSpec Tune { get; }
        }

        [Experiment("without-kd")]
        [Encoder(EncoderFamily.Bert, Checkpoint = "google-bert/bert-large-uncased")]
        public partial class WithoutKd : Table
        {
        }
        """;

    public const string Unrelated = """
        namespace Road.Examples;

        public static class Helpers
        {
            public static int Answer() => 42;
        }
        """;
}
