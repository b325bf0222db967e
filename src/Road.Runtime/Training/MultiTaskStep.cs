using Road.Distributed;
using Road.Encoders;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>
/// One multi-task update (the paper's Algorithm 1): <c>BatchSize / ExamplesPerPass</c> passes, each on a dataset drawn
/// by the sampler, forward and backward on <c>ExamplesPerPass</c> of its examples with gradients accumulating; the
/// summed gradients are divided by the number of passes (each pass's loss is scaled by 1 / passes, which is the same);
/// then one optimizer update. The MT-DNN baseline is the special case of one pass per step. With several ranks, every
/// rank draws every pass (the sampler and example orders stay in step) and computes pass p when p mod ranks is its
/// rank; with more ranks than passes, the ranks r with r mod passes = p share pass p's examples (each part weighed by
/// its share of the pass), so no rank idles. The summed gradients are the single process's.
/// </summary>
public sealed class MultiTaskStep
{
    private readonly IReadOnlyList<ITaskObjective> _objectives;
    private readonly TaskSampler _sampler;
    private readonly ExampleStream[] _streams;

    public MultiTaskStep(IReadOnlyList<ITaskObjective> objectives, TaskSampler sampler, int batchSize, int examplesPerPass, int seed)
    {
        if (examplesPerPass <= 0 || batchSize < examplesPerPass || batchSize % examplesPerPass != 0)
            throw new RoadException($"the batch size {batchSize} must be a positive multiple of the examples per pass {examplesPerPass}.");
        _objectives = objectives;
        _sampler = sampler;
        Passes = batchSize / examplesPerPass;
        ExamplesPerPass = examplesPerPass;
        _streams = objectives.Select((o, i) => new ExampleStream(o.FeatureCount, seed + 7919 * (i + 1))).ToArray();
    }

    public int Passes { get; }
    public int ExamplesPerPass { get; }

    /// <summary>Which dataset and which of its features each pass of the last step used.</summary>
    public IReadOnlyList<(int Task, int[] Features)> LastPasses { get; private set; } = [];

    /// <summary>Accumulates this rank's part of the averaged gradients of one step into the parameters' .grad;
    /// returns the step's mean loss over every pass of every rank.</summary>
    public double Accumulate(EncoderModel encoder, Device device, IProcessGroup? group = null)
    {
        group ??= SingleProcess.Instance;
        var passes = new (int, int[])[Passes];
        var losses = new double[Passes];
        for (int pass = 0; pass < Passes; pass++)
        {
            int task = _sampler.Next();
            var features = _streams[task].Take(ExamplesPerPass);
            passes[pass] = (task, features);
            if (Work(pass, group) is not var (part, parts)) continue;
            var examples = ProcessGroupExtensions.Part(features, part, parts);
            if (examples.Count == 0) continue;
            using var scope = NewDisposeScope();
            double share = (double)examples.Count / features.Length;
            var loss = _objectives[task].Loss(encoder, examples, device);
            (examples.Count == features.Length ? loss.Over(Passes) : loss.Times(share / Passes)).backward();
            losses[pass] = loss.item<float>() * share;
        }
        LastPasses = passes;
        // Every rank sees every pass's loss, so all of them stop at the same non-finite one.
        losses = group.Sum(losses);
        for (int pass = 0; pass < Passes; pass++)
            if (!double.IsFinite(losses[pass]))
                throw new RoadException($"dataset {_objectives[passes[pass].Item1].TaskName}: the loss became {losses[pass]}.");
        return losses.Sum() / Passes;
    }

    // Which part of pass p this rank computes, of how many: the whole pass on rank p mod ranks while passes are at
    // least as many as ranks; else part r div passes of the parts shared by the ranks r with r mod passes = p.
    private (int Part, int Parts)? Work(int pass, IProcessGroup group) =>
        group.Size <= Passes ? (pass % group.Size == group.Rank ? (0, 1) : null)
        : group.Rank % Passes == pass ? (group.Rank / Passes, (group.Size - 1 - pass) / Passes + 1) : null;

    /// <summary>Draws a step's datasets and examples without computing anything: how a resumed run replays the
    /// sampler and the example orders up to its checkpoint.</summary>
    public void Skip()
    {
        for (int pass = 0; pass < Passes; pass++) _streams[_sampler.Next()].Take(ExamplesPerPass);
    }

    /// <summary>An endless, reshuffled-each-epoch order over one dataset's features.</summary>
    private sealed class ExampleStream(int count, int seed)
    {
        private readonly Random _random = new(seed);
        private int[] _order = [];
        private int _next;

        public int[] Take(int n)
        {
            var batch = new int[n];
            for (int i = 0; i < n; i++)
            {
                if (_next == _order.Length)
                {
                    _order = Enumerable.Range(0, count).ToArray();
                    _random.Shuffle(_order);
                    _next = 0;
                }
                batch[i] = _order[_next++];
            }
            return batch;
        }
    }
}
