using Road.Encoders;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>
/// One multi-task update (the paper's Algorithm 1): <c>BatchSize / ExamplesPerPass</c> passes, each on a dataset drawn
/// by the sampler, forward and backward on <c>ExamplesPerPass</c> of its examples with gradients accumulating; the
/// summed gradients are divided by the number of passes (each pass's loss is scaled by 1 / passes, which is the same);
/// then one optimizer update. The MT-DNN baseline is the special case of one pass per step.
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

    /// <summary>Accumulates the averaged gradients of one step into the parameters' .grad; returns the mean loss.</summary>
    public double Accumulate(EncoderModel encoder, Device device)
    {
        var passes = new (int, int[])[Passes];
        double total = 0;
        for (int pass = 0; pass < Passes; pass++)
        {
            using var scope = NewDisposeScope();
            int task = _sampler.Next();
            var features = _streams[task].Take(ExamplesPerPass);
            passes[pass] = (task, features);
            var loss = _objectives[task].Loss(encoder, features, device);
            loss.Over(Passes).backward();
            double value = loss.item<float>();
            if (!double.IsFinite(value))
                throw new RoadException($"dataset {_objectives[task].TaskName}: the loss became {value}.");
            total += value;
        }
        LastPasses = passes;
        return total / Passes;
    }

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
