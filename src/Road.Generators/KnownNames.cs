namespace Road.Generators
{
    /// <summary>Metadata names of the DSL attributes and the defaults their properties have in Road.Dsl.</summary>
    internal static class KnownNames
    {
        public const string Experiment = "Road.ExperimentAttribute";
        public const string ExperimentBase = "Road.ExperimentBaseAttribute";
        public const string Encoder = "Road.EncoderAttribute";
        public const string TeacherEncoder = "Road.TeacherEncoderAttribute";

        /// <summary>The toy world's second vocabulary (ToyWorld.PiecesName in the runtime): toy text only, like no vocabulary.</summary>
        public const string ToyPiecesVocabulary = "toy/pieces";
        public const string MrcTask = "Road.MrcTaskAttribute";
        public const string NliTask = "Road.NliTaskAttribute";
        public const string SentimentTask = "Road.SentimentTaskAttribute";
        public const string ParaphraseTask = "Road.ParaphraseTaskAttribute";

        public static readonly string[] TaskAttributes = { MrcTask, NliTask, SentimentTask, ParaphraseTask };
        public const string Finetune = "Road.FinetuneAttribute";
        public const string Evaluate = "Road.EvaluateAttribute";
        public const string NegativeQuestions = "Road.NegativeQuestionsAttribute";
        public const string LabelSmoothing = "Road.LabelSmoothingAttribute";
        public const string Teacher = "Road.TeacherAttribute";
        public const string MultiTaskPretraining = "Road.MultiTaskPretrainingAttribute";
        public const string KnowledgeDistillation = "Road.KnowledgeDistillationAttribute";
        public const string TeacherEnsemble = "Road.TeacherEnsembleAttribute";
        public const string WeightedKd = "Road.WeightedKdAttribute";
        public const string TeacherAnnealing = "Road.TeacherAnnealingAttribute";
    }

    /// <summary>Names of the incremental pipeline's steps, for caching tests.</summary>
    public static class TrackingNames
    {
        public const string Experiments = nameof(Experiments);
        public const string ExperimentBases = nameof(ExperimentBases);
        public const string AllExperiments = nameof(AllExperiments);
    }
}
