using System.Text.Json.Nodes;
using Road.Pipeline;
using Road.Training;

namespace Road.Tests;

/// <summary>A run that starts from a checkpoint folder: checked against the declaration first, its ignored keys shown.</summary>
public sealed class CheckpointRunTests : IDisposable
{
    private static readonly string ElectraTiny = Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf-reference", "electra-tiny");
    private readonly string _output = Directory.CreateTempSubdirectory("road-ckpt-run-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);


    // road-tiny, a few steps long, from the electra-tiny reference checkpoint (its 99-token vocabulary makes the toy
    // words [UNK], which is fine for checking how the checkpoint is handled).
    private static ExperimentEntry FromCheckpoint(EncoderFamily family, int mrcMaxLength = 40)
    {
        var entry = ShortRuns.Shortened("road-tiny", trainExamples: 64, epochs: 1);
        return entry with
        {
            Spec = entry.Spec with
            {
                Encoder = entry.Spec.Encoder with { Family = family, Checkpoint = ElectraTiny },
                Tasks = [entry.Spec.Tasks[0] with { MaxLength = mrcMaxLength }, entry.Spec.Tasks[1]],
            },
        };
    }

    [Fact]
    public void Ignored_keys_are_shown_before_training_and_recorded_in_the_manifest()
    {
        var notes = new RecordedNotes();
        var outcome = ExperimentRunner.Run(FromCheckpoint(EncoderFamily.Electra), new RunOptions("cpu", null, _output), notes);
        var checkpoint = notes.Lines.SkipWhile(l => !l.StartsWith("Checkpoint ", StringComparison.Ordinal)).ToList();
        Assert.Equal($"Checkpoint {ElectraTiny}", checkpoint[0]);
        Assert.Equal("  4 pretraining or task head key(s) ignored: discriminator_predictions.dense.bias, discriminator_predictions.dense.weight, discriminator_predictions.dense_prediction.bias, discriminator_predictions.dense_prediction.weight", checkpoint[1]);
        var manifest = JsonNode.Parse(File.ReadAllText(outcome.Folder.File("manifest.json")))!;
        Assert.Equal(ElectraTiny, manifest["checkpoint"]!["folder"]!.GetValue<string>());
        Assert.Equal(4, manifest["checkpoint"]!["ignored_keys"]!["pretraining or task head"]!.AsArray().Count);
    }

    [Fact]
    public void A_checkpoint_of_another_family_is_refused_before_any_work()
    {
        var error = Assert.Throws<RoadException>(() => ExperimentRunner.Run(FromCheckpoint(EncoderFamily.Bert), new RunOptions("cpu", null, _output), new SilentProgress()));
        Assert.Equal($"experiment road-tiny cannot run: {ElectraTiny} holds model_type \"electra\" (config.json), but the experiment declares EncoderFamily.Bert.", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_output));
    }

    [Fact]
    public void A_max_length_beyond_the_checkpoints_positions_is_refused_before_any_work()
    {
        var error = Assert.Throws<RoadException>(() => ExperimentRunner.Run(FromCheckpoint(EncoderFamily.Electra, mrcMaxLength: 128), new RunOptions("cpu", null, _output), new SilentProgress()));
        Assert.Equal("experiment road-tiny cannot run: FactsMrc: MaxLength 128 is longer than the encoder's 64 positions (max_position_embeddings); lower it.", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_output));
    }
}
