using Microsoft.CodeAnalysis;

namespace Road.Generators.Diagnostics
{
    /// <summary>Every diagnostic Road reports, tracked in AnalyzerReleases.*.md.</summary>
    public static class DiagnosticDescriptors
    {
        private const string Category = "Road";

        public static readonly DiagnosticDescriptor NotPartial = new DiagnosticDescriptor(
            "ROAD001", "Experiment class must be partial",
            "Experiment or shared-datasets class '{0}' must be declared partial so Road can generate its datasets and stages",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor DuplicateName = new DiagnosticDescriptor(
            "ROAD002", "Duplicate experiment name",
            "Experiment name '{0}' is already used by '{1}'; RunExperiment finds experiments by name, so names must be unique",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true, customTags: WellKnownDiagnosticTags.CompilationEnd);

        public static readonly DiagnosticDescriptor OutOfRange = new DiagnosticDescriptor(
            "ROAD003", "Hyperparameter out of range",
            "{0} = {1} is out of range: it must be {2}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor WeightedKdTeachers = new DiagnosticDescriptor(
            "ROAD005", "Weighted KD needs several teachers",
            "Weighted KD weighs teachers against each other and needs at least two; Teachers = {0}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor MultiTaskTasks = new DiagnosticDescriptor(
            "ROAD006", "Multi-task pretraining needs several tasks",
            "Multi-task pretraining in '{0}' needs at least two datasets; it trains on {1}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor MissingTeachers = new DiagnosticDescriptor(
            "ROAD007", "Distillation without enough teachers",
            "'{0}' distils from {1} teacher(s) of '{2}', which has {3}; mark the dataset [Teacher(Seeds = {1})]",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor FormatMisfit = new DiagnosticDescriptor(
            "ROAD008", "Data format does not fit the task",
            "DataFormat.{0} cannot feed a {1}; it takes {2}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor TwoTasks = new DiagnosticDescriptor(
            "ROAD009", "Two task attributes on one dataset",
            "'{0}' is bound to more than one task head; give each dataset one task attribute",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor ToyVocabularyOnRealData = new DiagnosticDescriptor(
            "ROAD010", "Real data needs a real vocabulary",
            "'{0}' reads DataFormat.{1}, but the encoder has neither a Checkpoint nor a Vocabulary, and the toy vocabulary would turn real text into [UNK]; set Vocabulary to a vocab.txt, a spiece.model or a checkpoint folder",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnknownStage = new DiagnosticDescriptor(
            "ROAD011", "Not a stage declared before",
            "{0} = '{1}' names no {2} in experiment '{3}'; name a stage property (use nameof)",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor EvaluateKind = new DiagnosticDescriptor(
            "ROAD012", "Evaluation on a dataset of another task kind",
            "'{0}' scores the {1} model of '{2}' on '{3}', a {4} dataset; evaluate a model on datasets of its own task kind",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor TeachersNotYetTrained = new DiagnosticDescriptor(
            "ROAD013", "Distillation before its teachers exist",
            "'{0}' distils from the teachers of '{1}', which are finetuned from '{2}' and train only after it; distil in a stage declared after '{2}'",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor EvaluationOnlyTrained = new DiagnosticDescriptor(
            "ROAD014", "A dataset without a training file is trained on",
            "'{0}' has no training file and can only be evaluated on; {1}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnknownTeacherEncoder = new DiagnosticDescriptor(
            "ROAD015", "Teachers of an undeclared teacher encoder",
            "[Teacher(Encoder = \"{0}\")] on '{1}' names no [TeacherEncoder] of experiment '{2}'; declare [TeacherEncoder(\"{0}\", EncoderFamily...)] on the class{3}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor TeacherEncoderName = new DiagnosticDescriptor(
            "ROAD016", "Teacher encoder that cannot be used",
            "[TeacherEncoder(\"{0}\")] {1}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor TeacherConflict = new DiagnosticDescriptor(
            "ROAD017", "Teachers declared in a way that cannot work",
            "'{0}': {1}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor StudentFromTeacher = new DiagnosticDescriptor(
            "ROAD018", "A student that cannot start from its teacher's layers",
            "'{0}': {1}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnknownTarget = new DiagnosticDescriptor(
            "ROAD004", "Stage target is not a dataset of the experiment",
            "'{0}' is not a dataset of experiment '{1}'; name a property that carries a task attribute ([MrcTask], [NliTask], [SentimentTask], [ParaphraseTask]) (use nameof)",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    }
}
