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
    public Task A_valid_declaration_has_no_diagnostics() => GeneratorHarness.VerifyAnalyzerAsync(Declarations.Tiny);

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
}
