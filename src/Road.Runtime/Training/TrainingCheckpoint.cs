using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>One training step as it went: the loss, the learning rate it updated with, and the gradient norm before
/// clipping.</summary>
public sealed record StepRecord(double Loss, double LearningRate, double GradientNorm);

/// <summary>Where a training loop stands: the step and every step's record so far.</summary>
public sealed record TrainingPosition(int Step, IReadOnlyList<StepRecord> History);

/// <summary>
/// A training checkpoint in a stage folder: the optimizer's state (master weights, which hold the model and heads,
/// both moments), libtorch's random generator state (dropout) and the loop's position. The tensors and the position
/// are written atomically, each naming the step, so a pair torn by a kill is never taken for a checkpoint. Data order
/// and task sampling are not stored: they come from seeded generators that a resumed loop replays. The optimizer state
/// is the same on every rank of a data-parallel run, so a checkpoint resumes on any number of ranks; only the rank
/// that writes the run folder saves it (<paramref name="writes"/>).
/// </summary>
public sealed class TrainingCheckpoint(string folder, bool writes = true)
{
    private string Tensors => Path.Combine(folder, "state.safetensors");
    private string Position => Path.Combine(folder, "state.json");

    public void Save(FlatAdamW optimizer, TrainingPosition position)
    {
        if (!writes) return;
        var state = optimizer.ExportState();
        state["rng"] = get_rng_state();
        state["step"] = tensor(new long[] { position.Step });
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Tensors, temp => Safetensors.SaveStateDict(temp, state));
        AtomicFile.WriteAllText(Position, JsonSerializer.Serialize(position));
    }

    public TrainingPosition? TryLoad(FlatAdamW optimizer)
    {
        if (!File.Exists(Tensors) || !File.Exists(Position)) return null;
        var position = JsonSerializer.Deserialize<TrainingPosition>(File.ReadAllText(Position));
        if (position?.History is null)
            throw new RoadException($"{Position}: not a training position of this version of Road (no $.History); delete {folder} to restart the stage.");
        Road.Encoders.SafetensorsHeader.Validate(Tensors);
        var state = Safetensors.LoadStateDict(Tensors);
        if (state["step"].item<long>() != position.Step)
            throw new RoadException($"{folder}: the checkpoint's files disagree on the step ({state["step"].item<long>()} and {position.Step}); delete the folder to restart the stage.");
        optimizer.ImportState(state, position.Step);
        set_rng_state(state["rng"]);
        return position;
    }
}
