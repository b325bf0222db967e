namespace Road
{
    /// <summary>
    /// Every default of the DSL, in one place that the attributes (Road.Dsl), the generator and the runtime all
    /// compile (this file is linked into each; internal there), so a default can never differ between what a user
    /// reads in the IDE, what the generator emits and what the runtime assumes. The paper's Table 8 where it gives one.
    /// </summary>
    internal static class RoadDefaults
    {
        // [Experiment]
        public const int Seed = 13;
        public const int Runs = 1;

        // [Encoder] trained from scratch
        public const int EmbeddingSize = 128;
        public const int HiddenSize = 256;
        public const int Layers = 4;
        public const int Heads = 4;
        public const int IntermediateSize = 1024;
        public const int MaxPositions = 512;
        public const double Dropout = 0.1;

        // Task attributes: tokens per sequence by task kind, MRC windows, sentiment classes.
        public const int MrcMaxLength = 384;
        public const int NliMaxLength = 128;
        public const int SentimentMaxLength = 256;
        public const int ParaphraseMaxLength = 128;
        public const int Stride = 128;
        public const int MaxQueryLength = 64;
        public const int SentimentClasses = 5;

        // [Finetune] and [Teacher] (Table 8: 3 epochs, batch 32, lr 5e-5, warmup 10%, clipping 1.0)
        public const int Epochs = 3;
        public const int BatchSize = 32;
        public const double LearningRate = 5e-5;
        public const double WarmupFraction = 0.1;
        public const double WeightDecay = 0.01;
        public const double MaxGradNorm = 1.0;
        public const double AdamEpsilon = 1e-6;
        public const double LayerDecay = 1.0;
        public const int GradientAccumulation = 1;
        public const int TeacherSeeds = 1;

        // [MultiTaskPretraining] (Table 8: 50,000 steps, batch 512, 16 per pass, lr 3e-4, layer-wise 0.75)
        public const int MultiTaskSteps = 50000;
        public const int MultiTaskBatchSize = 512;
        public const int ExamplesPerPass = 16;
        public const double MultiTaskLearningRate = 3e-4;
        public const double MultiTaskLayerDecay = 0.75;
        public const double SamplingTemperature = 2.0;

        // Distillation (the paper's T, alpha and W were lost from the text we have: DESIGN.md)
        public const double Temperature = 2.0;
        public const double Alpha = 0.5;
        public const double W = 0.5;
        public const int EnsembleTeachers = 3;
        public const int AnnealingTeachers = 1;

        // Augmentation
        public const double NegativeQuestionRatio = 0.5;
        public const double LabelSmoothing = 0.1;
    }

    /// <summary>The data formats each task kind reads (by their DataFormat names), for the ROAD008 analyzer and the
    /// runtime's preflight alike.</summary>
    internal static class TaskFormats
    {
        private static readonly System.Collections.Generic.Dictionary<string, string[]> ByKind = new System.Collections.Generic.Dictionary<string, string[]>
        {
            ["Mrc"] = new[] { "Toy", "Squad2", "Mrqa", "NewsQa", "Quac", "QaSrl", "QaSrlV1", "QaZre", "Parquet" },
            ["Nli"] = new[] { "Toy", "MultiNli", "GlueMnli", "Snli", "Parquet" },
            ["Sentiment"] = new[] { "AmazonReviews", "Parquet" },
            ["Paraphrase"] = new[] { "GlueQqp", "Parquet" },
        };

        /// <summary>The formats a task kind (Mrc, Nli, Sentiment, Paraphrase) reads.</summary>
        public static string[] For(string kind) => ByKind[kind];

        public static bool Fits(string kind, string format) => System.Array.IndexOf(ByKind[kind], format) >= 0;
    }
}
