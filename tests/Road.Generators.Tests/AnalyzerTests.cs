namespace Road.Generators.Tests;

/// <summary>Each diagnostic at its exact location, written as markup.</summary>
public sealed class AnalyzerTests
{
    private const string Usings = "using Road;\nusing Road.Data;\nusing Road.Pipeline;\n";

    [Fact]
    public Task ROAD001_class_not_partial() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        public class {|ROAD001:Plain|} { }
        """);

    [Fact]
    public Task ROAD002_duplicate_experiment_name_is_reported_on_the_second() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("same")]
        public partial class First { }
        [Experiment({|ROAD002:"same"|})]
        public partial class Second { }
        """);

    [Fact]
    public Task ROAD003_out_of_range_hyperparameters() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x", {|ROAD003:Runs = 0|})]
        [Encoder(EncoderFamily.Electra, {|ROAD003:Dropout = 1.5|}, HiddenSize = 64)]
        public partial class X
        {
            [MrcTask(DataFormat.Toy, "toy/facts-mrc", {|ROAD003:MaxLength = -1|})] public partial MrcDataset Data { get; }
            [Finetune(nameof(Data), {|ROAD003:LearningRate = 2.0|}, {|ROAD003:Epochs = 0|}, BatchSize = 8)] public partial StageSpec Tune { get; }
            [MrcTask(DataFormat.Toy, "toy/facts-mrc"), NegativeQuestions({|ROAD003:Ratio = 0.0|})] public partial MrcDataset Other { get; }
            [Finetune(nameof(Other)), LabelSmoothing({|ROAD003:Epsilon = 1.0|})] public partial StageSpec TuneOther { get; }
        }
        """);

    [Fact]
    public Task ROAD004_stage_target_that_is_not_a_dataset() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        public partial class X
        {
            [NliTask(DataFormat.Toy, "toy/facts-nli")] public partial PairDataset Data { get; }
            [Finetune({|ROAD004:"Missing"|})] public partial StageSpec Tune { get; }
        }
        """);

    [Fact]
    public Task ROAD005_weighted_kd_with_one_teacher() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        public partial class X
        {
            [NliTask(DataFormat.Toy, "toy/facts-nli"), Teacher(Seeds = 3)] public partial PairDataset Data { get; }
            [Finetune(nameof(Data)), WeightedKd({|ROAD005:Teachers = 1|})] public partial StageSpec Tune { get; }
        }
        """);

    [Fact]
    public Task ROAD006_multi_task_pretraining_with_one_dataset() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        public partial class X
        {
            [NliTask(DataFormat.Toy, "toy/facts-nli")] public partial PairDataset Data { get; }
            [{|ROAD006:MultiTaskPretraining(Steps = 10)|}] public partial StageSpec Pretrain { get; }
        }
        """);

    [Fact]
    public Task ROAD007_distillation_without_enough_teachers() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        public partial class X
        {
            [NliTask(DataFormat.Toy, "toy/facts-nli"), Teacher(Seeds = 2)] public partial PairDataset Data { get; }
            [MrcTask(DataFormat.Toy, "toy/facts-mrc")] public partial MrcDataset Other { get; }
            [Finetune(nameof(Data)), {|ROAD007:TeacherEnsemble(Teachers = 3)|}] public partial StageSpec Tune { get; }
            [Finetune(nameof(Data)), KnowledgeDistillation] public partial StageSpec Fine { get; }
            [MultiTaskPretraining(Steps = 10), {|ROAD007:KnowledgeDistillation|}] public partial StageSpec Pretrain { get; }
        }
        """);

    [Fact]
    public Task ROAD003_distillation_and_multi_task_ranges() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        public partial class X
        {
            [NliTask(DataFormat.Toy, "toy/facts-nli"), Teacher(Seeds = 3)] public partial PairDataset Data { get; }
            [MrcTask(DataFormat.Toy, "toy/facts-mrc"), Teacher({|ROAD003:Seeds = 0|})] public partial MrcDataset Other { get; }
            [Finetune(nameof(Data)), WeightedKd({|ROAD003:W = 1.0|})] public partial StageSpec A { get; }
            [Finetune(nameof(Data)), KnowledgeDistillation({|ROAD003:Temperature = 0|}, {|ROAD003:Alpha = 1.5|})] public partial StageSpec B { get; }
            [MultiTaskPretraining({|ROAD003:Steps = 0|}, {|ROAD003:ExamplesPerPass = -4|})] public partial StageSpec C { get; }
        }
        """);

    [Fact]
    public Task ROAD008_a_format_that_does_not_fit_its_task() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        [Encoder(EncoderFamily.Bert, Checkpoint = "bert-base-uncased")]
        public partial class X
        {
            [MrcTask({|ROAD008:DataFormat.GlueQqp|}, "qqp/train.tsv")] public partial MrcDataset A { get; }
            [SentimentTask({|ROAD008:DataFormat.Squad2|}, "squad.json")] public partial TextDataset B { get; }
            [ParaphraseTask(DataFormat.GlueQqp, "qqp/train.tsv")] public partial PairDataset C { get; }
        }
        """);

    [Fact]
    public Task ROAD009_two_task_attributes_on_one_dataset() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        [Encoder(EncoderFamily.Electra, Vocabulary = "vocab.txt")]
        public partial class X
        {
            [NliTask(DataFormat.MultiNli, "mnli.jsonl"), {|ROAD009:ParaphraseTask(DataFormat.Parquet, "qqp.parquet")|}] public partial PairDataset A { get; }
        }
        """);

    [Fact]
    public Task ROAD010_real_data_without_a_vocabulary() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        [{|ROAD010:Encoder(EncoderFamily.Electra, HiddenSize = 64)|}]
        public partial class X
        {
            [NliTask(DataFormat.Toy, "toy/facts-nli")] public partial PairDataset Toy { get; }
            [MrcTask(DataFormat.Squad2, "squad2/train-v2.0.json")] public partial MrcDataset Squad { get; }
        }
        [Experiment("y")]
        public partial class {|ROAD010:Y|}
        {
            [MrcTask(DataFormat.Mrqa, "mrqa/NewsQA.jsonl.gz")] public partial MrcDataset NewsQa { get; }
        }
        [Experiment("z")]
        [Encoder(EncoderFamily.Albert, Vocabulary = "albert-base-v2/spiece.model")]
        public partial class Z
        {
            [MrcTask(DataFormat.Mrqa, "mrqa/NewsQA.jsonl.gz")] public partial MrcDataset NewsQa { get; }
        }
        """);

    [Fact]
    public Task A_valid_declaration_has_no_diagnostics() => GeneratorHarness.VerifyAnalyzerAsync(Declarations.Tiny);

    [Fact]
    public Task A_valid_distillation_declaration_has_no_diagnostics() => GeneratorHarness.VerifyAnalyzerAsync(Declarations.Distilled);

    [Fact]
    public async Task Messages_name_the_value_and_the_range()
    {
        var diagnostics = await GeneratorHarness.AnalyzeAsync(Usings + """
            [Experiment("x")]
            public partial class X
            {
                [NliTask(DataFormat.Toy, "toy/facts-nli")] public partial PairDataset Data { get; }
                [Finetune(nameof(Data), LearningRate = 2.0)] public partial StageSpec Tune { get; }
            }
            """);
        Assert.Equal("LearningRate = 2 is out of range: it must be in (0, 1)", Assert.Single(diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public Task ROAD004_multi_task_datasets_and_evaluation_targets_that_are_not_datasets() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        public partial class X
        {
            [MrcTask(DataFormat.Toy, "toy/facts-mrc")] public partial MrcDataset A { get; }
            [NliTask(DataFormat.Toy, "toy/facts-nli")] public partial PairDataset B { get; }
            [MultiTaskPretraining({|ROAD004:Datasets = new[] { nameof(A), nameof(B), "C" }|})] public partial StageSpec Mtl { get; }
            [Finetune(nameof(A))] public partial StageSpec Tune { get; }
            [Evaluate({|ROAD004:"D"|}, Model = nameof(Tune))] public partial StageSpec Score { get; }
        }
        """);

    [Fact]
    public Task ROAD011_from_and_model_that_name_no_stage_before() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        public partial class X
        {
            [MrcTask(DataFormat.Toy, "toy/facts-mrc"), Teacher({|ROAD011:From = "Nowhere"|})] public partial MrcDataset A { get; }
            [MrcTask(DataFormat.Toy, "toy/facts-mrc")] public partial MrcDataset B { get; }
            [Finetune(nameof(A), {|ROAD011:From = nameof(Later)|})] public partial StageSpec Early { get; }
            [Evaluate(nameof(B), {|ROAD011:Model = nameof(Later)|})] public partial StageSpec Score { get; }
            [Finetune(nameof(B))] public partial StageSpec Later { get; }
            [Evaluate(nameof(B), {|ROAD011:Model = nameof(Score)|})] public partial StageSpec ScoreOfScore { get; }
        }
        """);

    [Fact]
    public Task ROAD012_evaluation_on_a_dataset_of_another_kind() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        public partial class X
        {
            [MrcTask(DataFormat.Toy, "toy/facts-mrc")] public partial MrcDataset A { get; }
            [NliTask(DataFormat.Toy, "toy/facts-nli")] public partial PairDataset B { get; }
            [Finetune(nameof(A))] public partial StageSpec Tune { get; }
            [Evaluate({|ROAD012:nameof(B)|}, Model = nameof(Tune))] public partial StageSpec Score { get; }
        }
        """);

    [Fact]
    public Task ROAD013_distillation_from_teachers_of_a_stage_that_has_not_run() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        public partial class X
        {
            [MrcTask(DataFormat.Toy, "toy/facts-mrc"), Teacher(Seeds = 3, From = nameof(Mtl))] public partial MrcDataset A { get; }
            [NliTask(DataFormat.Toy, "toy/facts-nli"), Teacher] public partial PairDataset B { get; }
            [Finetune(nameof(A)), {|ROAD013:WeightedKd(Teachers = 3)|}] public partial StageSpec Early { get; }
            [MultiTaskPretraining, {|ROAD013:KnowledgeDistillation|}] public partial StageSpec Mtl { get; }
            [Finetune(nameof(A), From = nameof(Mtl)), WeightedKd(Teachers = 3)] public partial StageSpec Late { get; }
        }
        """);

    [Fact]
    public Task ROAD014_training_on_a_dataset_without_a_training_file() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        public partial class X
        {
            [MrcTask(DataFormat.Toy, "toy/facts-mrc")] public partial MrcDataset A { get; }
            [MrcTask(DataFormat.Toy, "", Dev = "toy/facts-mrc"), {|ROAD014:Teacher|}] public partial MrcDataset DevOnly { get; }
            [NliTask(DataFormat.Toy, "toy/facts-nli")] public partial PairDataset B { get; }
            [{|ROAD014:MultiTaskPretraining|}] public partial StageSpec Mtl { get; }
            [{|ROAD014:Finetune(nameof(DevOnly))|}] public partial StageSpec Tune { get; }
            [MultiTaskPretraining(Datasets = new[] { nameof(A), nameof(B) })] public partial StageSpec Chosen { get; }
            [Finetune(nameof(A))] public partial StageSpec TuneA { get; }
            [Evaluate(nameof(DevOnly), Model = nameof(TuneA))] public partial StageSpec Score { get; }
        }
        """);

    [Fact]
    public Task Experiment_bases_are_checked_like_experiments_and_must_be_partial() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [ExperimentBase]
        public abstract class {|ROAD001:Plain|} { }

        [ExperimentBase]
        public abstract partial class Common
        {
            [MrcTask({|ROAD008:DataFormat.Snli|}, "snli/train.jsonl", {|ROAD003:MaxLength = 0|})] public partial MrcDataset A { get; }
            [NliTask(DataFormat.Toy, "toy/facts-nli")] public partial PairDataset B { get; }
        }

        [Experiment("x")]
        [Encoder(EncoderFamily.Electra, Vocabulary = "vocab.txt")]
        public partial class X : Common
        {
            [MultiTaskPretraining(Datasets = new[] { nameof(Common) })] public partial StageSpec Mtl { get; }
            [Finetune(nameof(B)), {|ROAD007:KnowledgeDistillation|}] public partial StageSpec Tune { get; }
        }
        """);

    [Fact]
    public Task ROAD015_to_017_teacher_encoders_that_cannot_work() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        [TeacherEncoder("bert", EncoderFamily.Bert, Vocabulary = "toy/pieces")]
        [TeacherEncoder({|ROAD016:"bert"|}, EncoderFamily.Albert)]
        [TeacherEncoder({|ROAD016:"two words"|}, EncoderFamily.Albert)]
        [TeacherEncoder("mtl", EncoderFamily.Electra, {|ROAD016:Experiment = "road-electra-large"|})]
        [TeacherEncoder("both", EncoderFamily.Electra, {|ROAD016:Checkpoint = "google/electra-large-discriminator"|}, Experiment = "road-electra-large", Stage = "Mtl")]
        [TeacherEncoder("earlier", EncoderFamily.Electra, Experiment = "road-electra-large", Stage = "Mtl")]
        public partial class X
        {
            [MrcTask(DataFormat.Toy, "toy/facts-mrc"), Teacher(Encoder = "bert"), Teacher(Seeds = 2, {|ROAD015:Encoder = "electra"|})] public partial MrcDataset A { get; }
            [MrcTask(DataFormat.Toy, "toy/facts-mrc"), Teacher(Encoder = "bert", {|ROAD017:From = nameof(Tune)|})] public partial MrcDataset B { get; }
            [NliTask(DataFormat.Toy, "toy/facts-nli"), Teacher, Teacher(Encoder = "bert"), {|ROAD017:Teacher(Encoder = "bert", Seeds = 2)|}] public partial PairDataset C { get; }
            [Finetune(nameof(A)), WeightedKd(Teachers = 3)] public partial StageSpec Tune { get; }
        }
        """);

    [Fact]
    public Task ROAD010_a_teacher_encoder_reading_real_data_with_a_toy_vocabulary() => GeneratorHarness.VerifyAnalyzerAsync(Usings + """
        [Experiment("x")]
        [Encoder(EncoderFamily.Electra, Vocabulary = "bert-base-uncased/vocab.txt")]
        [TeacherEncoder("checkpoint", EncoderFamily.Bert, Checkpoint = "google-bert/bert-large-uncased")]
        [{|ROAD010:TeacherEncoder("pieces", EncoderFamily.Bert, Vocabulary = "toy/pieces")|}]
        public partial class X
        {
            [MrcTask(DataFormat.Squad2, "squad2/train-v2.0.json"), Teacher(Encoder = "checkpoint"), Teacher(Encoder = "pieces")] public partial MrcDataset Squad { get; }
            [Finetune(nameof(Squad)), WeightedKd(Teachers = 2)] public partial StageSpec Tune { get; }
        }
        """);

    [Fact]
    public async Task Teacher_encoder_messages_say_what_to_do()
    {
        var diagnostics = await GeneratorHarness.AnalyzeAsync(Usings + """
            [Experiment("x")]
            [TeacherEncoder("bert", EncoderFamily.Bert, Vocabulary = "toy/pieces")]
            public partial class X
            {
                [MrcTask(DataFormat.Toy, "toy/facts-mrc"), Teacher(Encoder = "albert"), Teacher(Encoder = "bert", From = nameof(Tune))] public partial MrcDataset A { get; }
                [Finetune(nameof(A)), WeightedKd(Teachers = 2)] public partial StageSpec Tune { get; }
            }
            """);
        Assert.Equal(
        [
            "ROAD015: [Teacher(Encoder = \"albert\")] on 'A' names no [TeacherEncoder] of experiment 'x'; declare [TeacherEncoder(\"albert\", EncoderFamily...)] on the class or name one of bert",
            "ROAD017: 'A': [Teacher] sets both Encoder and From; From finetunes teachers from a stage of the experiment's encoder, a teacher encoder's teachers start from its own weights: drop one",
        ], diagnostics.OrderBy(d => d.Location.SourceSpan.Start).Select(d => $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));
    }

    [Fact]
    public async Task ROAD018_a_student_that_cannot_start_from_its_teachers_layers()
    {
        var diagnostics = await GeneratorHarness.AnalyzeAsync(Usings + """
            [Experiment("x")]
            [Encoder(EncoderFamily.Electra, HiddenSize = 32, Layers = 1)]
            [TeacherEncoder("large", EncoderFamily.Electra, HiddenSize = 64, Layers = 2)]
            [TeacherEncoder("bert", EncoderFamily.Bert, HiddenSize = 32, Layers = 2)]
            public partial class X
            {
                [MrcTask(DataFormat.Toy, "toy/facts-mrc"), Teacher(Encoder = "large"), Teacher(Encoder = "bert")] public partial MrcDataset A { get; }
                [NliTask(DataFormat.Toy, "toy/facts-nli")] public partial PairDataset B { get; }
                [Finetune(nameof(A), FromTeacher = "large", TeacherLayers = new[] { 1 })] public partial StageSpec Sizes { get; }
                [Finetune(nameof(A), FromTeacher = "bert", TeacherLayers = new[] { 0 })] public partial StageSpec Family { get; }
                [Finetune(nameof(A), FromTeacher = "small", TeacherLayers = new[] { 0 })] public partial StageSpec Undeclared { get; }
                [Finetune(nameof(B), FromTeacher = "large", TeacherLayers = new[] { 0, 1 })] public partial StageSpec NoTeachers { get; }
                [Finetune(nameof(A), TeacherLayers = new[] { 0 })] public partial StageSpec LayersAlone { get; }
            }
            """);
        Assert.Equal(
        [
            "ROAD018: 'Sizes': large's HiddenSize is 64 and the student's 32; a student that starts from a teacher's layers has the teacher's sizes but for Layers",
            "ROAD018: 'Family': bert is Bert and the student Electra; a student starts from the layers of a teacher of its own family",
            "ROAD018: 'Undeclared': FromTeacher = \"small\" names no [TeacherEncoder] of the experiment; declare it, and teachers of it on the stage's dataset",
            "ROAD018: 'NoTeachers': its dataset 'B' has no teachers of large to start from; add [Teacher(Encoder = \"large\")] to it",
            "ROAD018: 'NoTeachers': TeacherLayers names 2 teacher layers for a student of 1; name one per student layer",
            "ROAD018: 'NoTeachers': large's HiddenSize is 64 and the student's 32; a student that starts from a teacher's layers has the teacher's sizes but for Layers",
            "ROAD018: 'LayersAlone': TeacherLayers without FromTeacher; name the teacher encoder whose layers the stage starts from",
        ], diagnostics.Where(d => d.Id == "ROAD018").OrderBy(d => d.Location.SourceSpan.Start).Select(d => $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));
    }
}
