using System.Text.Json.Nodes;
using Road.Encoders;
using Road.Pipeline;
using Road.Training;

namespace Road.Tests;

/// <summary>An ALBERT checkpoint folder that ships spiece.model, as ALBERT's do, runs an experiment end to end:
/// SentencePiece features, ALBERT's shared layers, evaluation with offsets back into the original text.</summary>
public sealed class AlbertExperimentTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    private static readonly string Vocab = Path.Combine(AppContext.BaseDirectory, "Fixtures", "vocab");
    private readonly string _folder = Directory.CreateTempSubdirectory("road-albert-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // A small ALBERT with the 30,000-piece SentencePiece model: what albert-base-v2's folder holds, at toy size.
    private string AlbertFolder(int vocabularySize)
    {
        string folder = Path.Combine(_folder, "albert");
        TorchSharp.torch.manual_seed(4);
        var encoder = EncoderModel.Create(new EncoderConfig
        {
            ModelType = "albert", VocabSize = vocabularySize, EmbeddingSize = 16, HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 2,
            IntermediateSize = 64, HiddenAct = "gelu_new", MaxPositionEmbeddings = 64, HiddenDropoutProb = 0, AttentionProbsDropoutProb = 0,
        });
        WeightInitialization.Apply(encoder);
        EncoderCheckpoint.Save(encoder, folder);
        File.Copy(Path.Combine(Vocab, "albert-30k-clean.model"), Path.Combine(folder, "spiece.model"));
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"do_lower_case": true, "remove_space": true, "keep_accents": false}""");
        return folder;
    }

    private ExperimentEntry TinyOn(string checkpoint)
    {
        var entry = ShortRuns.Shortened("road-tiny", trainExamples: 4000, epochs: 4);
        return entry with
        {
            Spec = entry.Spec with
            {
                Encoder = entry.Spec.Encoder with { Family = EncoderFamily.Albert, Checkpoint = checkpoint },
                Stages = [entry.Spec.Stages[0], entry.Spec.Stages[1] with { Settings = entry.Spec.Stages[1].Settings with { Epochs = 1 } }],
            },
        };
    }

    [Fact]
    public void An_albert_folder_with_spiece_model_trains_and_answers_in_original_text()
    {
        var notes = new RecordedNotes();
        var outcome = ExperimentRunner.Run(TinyOn(AlbertFolder(30000)), new RunOptions(Output: Path.Combine(_folder, "runs")), notes);
        var metrics = JsonNode.Parse(File.ReadAllText(outcome.Folder.File("metrics.json")))!;
        log.WriteLine(metrics.ToJsonString());
        Assert.Contains(notes.Lines, l => l.StartsWith("  FactsMrc train: 4000 read", StringComparison.Ordinal));
        var mrc = outcome.Results.Single(r => r.Stage == "FinetuneMrc");
        Assert.True(mrc.Training.LastLoss < 0.8 * mrc.Training.FirstLoss, $"loss {mrc.Training.FirstLoss} -> {mrc.Training.LastLoss}");
        Assert.InRange(metrics["tasks"]!["FactsMrc"]!["HasAns_f1"]!.GetValue<double>(), 0, 100);
        // Answers are spans of the original contexts, whatever SentencePiece did to the text.
        var contexts = Road.Data.Toy.ToyTasks.Mrc(seed: 1, 4000, 500).Dev.ToDictionary(e => e.Id, e => e.Context);
        var predictions = JsonNode.Parse(File.ReadAllText(outcome.Folder.File("stages", "FinetuneMrc", "predictions.json")))!.AsObject();
        Assert.All(predictions, p => Assert.Contains(p.Value!.GetValue<string>(), contexts[p.Key]));
        Assert.Contains(predictions, p => p.Value!.GetValue<string>().Length > 0);
    }

    [Fact]
    public void A_tokenizer_with_more_ids_than_the_checkpoint_embeds_is_refused_before_any_work()
    {
        string folder = AlbertFolder(1000);
        var error = Assert.Throws<RoadException>(() => ExperimentRunner.Run(TinyOn(folder), new RunOptions(Output: Path.Combine(_folder, "runs")), new SilentProgress()));
        Assert.Equal($"{folder}: the tokenizer (SentencePiece (ALBERT), 30000 pieces, lowercase=True keep_accents=False) has 30000 ids but the checkpoint embeds 1000 (config.json vocab_size); they belong to different models.", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_folder, "runs")));
    }
}
