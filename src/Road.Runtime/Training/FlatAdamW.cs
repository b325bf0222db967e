using Road.Distributed;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>
/// AdamW (decoupled weight decay, Loshchilov and Hutter) with gradient clipping over ONE flat float32 buffer: every
/// parameter becomes a view into a flat buffer, and an update is libtorch's fused AdamW kernel (<see cref="FusedAdamWKernel"/>)
/// once per parameter group (weight decay or not, times each layer-wise learning rate), where TorchSharp's AdamW loops
/// over parameters (about six kernels each, PLATFORM.md) and clip_grad_norm_ synchronises with the device: clipping is
/// the kernel's gradient divisor, computed on the device. With bf16 compute the parameters are views into a flat bf16
/// copy that is refreshed from the float32 masters after each update (master weights), so training keeps float32 accuracy.
/// With several ranks, rank 0's weights are broadcast when the buffer is built, and each step sums the flat gradient
/// across ranks in one all-reduce before clipping, so every rank makes the same update.
/// </summary>
public sealed class FlatAdamW : IDisposable
{
    private readonly List<Parameter> _parameters;
    private readonly Tensor _master;
    private readonly Tensor? _compute;
    private readonly Tensor _m;
    private readonly Tensor _v;
    private readonly Tensor _stepCount;
    private readonly Tensor _noClipping;
    private readonly IReadOnlyList<Group> _groups;
    private readonly double _beta1, _beta2, _eps, _weightDecay;
    private readonly IProcessGroup _group;
    private int _step;

    // Parameters that share a learning-rate scale and weight decay, as (offset, length) ranges of the flat buffers.
    private sealed record Group(double Scale, bool Decays, (long Offset, long Length)[] Ranges);

    /// <param name="parameters">names and parameters, already on their device; a name decides weight decay</param>
    /// <param name="learningRateScale">a factor on the learning rate per parameter name (layer-wise learning rate); none when null</param>
    /// <param name="group">the ranks of a data-parallel run; one process when null</param>
    public FlatAdamW(IReadOnlyList<(string Name, Parameter Parameter)> parameters, double learningRate, double weightDecay,
        Precision precision = Precision.Float32, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-6,
        Func<string, double>? learningRateScale = null, IProcessGroup? group = null)
    {
        _group = group ?? SingleProcess.Instance;
        _parameters = parameters.Select(p => p.Parameter).ToList();
        (LearningRate, _weightDecay, _beta1, _beta2, _eps) = (learningRate, weightDecay, beta1, beta2, eps);
        var device = _parameters[0].device;
        long total = _parameters.Sum(p => p.numel());
        _master = zeros(total, dtype: ScalarType.Float32, device: device);
        _compute = precision == Precision.Float32 ? null : zeros(total, dtype: precision.ComputeType(), device: device);
        var ranges = new List<(double Scale, bool Decays, long Offset, long Length)>();
        // The scope holds the views and flattened copies the loop makes, and disposes them when it ends. Without it,
        // nothing would hold the narrowed view while copy_ writes through it (TorchSharp's in-place methods return a
        // new wrapper of the result, so the view's own wrapper is dead from the call on), and a collection during the
        // copy could free it: a CI run once crashed in libtorch's bump_version, which an in-place op calls on its
        // target last.
        using (no_grad())
        using (NewDisposeScope())
        {
            long offset = 0;
            for (int i = 0; i < _parameters.Count; i++)
            {
                var p = _parameters[i];
                long n = p.numel();
                _master.narrow(0, offset, n).copy_(p.detach().flatten());
                var storage = (_compute ?? _master).narrow(0, offset, n).view(p.shape);
                if (_compute is not null) storage.copy_(p.detach());
                p.set_(storage);
                ranges.Add((learningRateScale?.Invoke(parameters[i].Name) ?? 1.0, Decays(parameters[i].Name), offset, n));
                offset += n;
            }
            if (_group.Size > 1)
            {
                _group.Broadcast(_master);
                _compute?.copy_(_master);
            }
        }
        _groups = ranges.GroupBy(r => (r.Scale, r.Decays)).Select(g => new Group(g.Key.Scale, g.Key.Decays, g.Select(r => (r.Offset, r.Length)).ToArray())).ToList();
        _m = zeros_like(_master);
        _v = zeros_like(_master);
        _stepCount = zeros(1, dtype: ScalarType.Float32, device: device);
        _noClipping = ones(1, dtype: ScalarType.Float32, device: device);
    }

    public double LearningRate { get; set; }

    /// <summary>No weight decay on biases and LayerNorm parameters, as BERT and ELECTRA train.</summary>
    public static bool Decays(string name) => !name.EndsWith(".bias", StringComparison.Ordinal) && !name.Contains("LayerNorm", StringComparison.Ordinal) && !name.Contains("layer_norm", StringComparison.Ordinal);

    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.grad = null;
    }

    /// <summary>Clips the global gradient norm to <paramref name="maxGradNorm"/> and updates; returns the norm before
    /// clipping as a device tensor (reading it synchronises, so callers read it only when they log).</summary>
    public Tensor Step(double maxGradNorm)
    {
        using var scope = NewDisposeScope();
        _step++;
        using var noGrad = no_grad();
        var gradient = cat(_parameters.Select(p => (p.grad ?? zeros_like(p)).flatten()).ToList()).to(ScalarType.Float32);
        _group.AllReduceSum(gradient);
        var norm = gradient.norm();
        // clip_grad_norm_'s factor min(1, max / (norm + 1e-6)), applied as the kernel's divisor max(1, (norm + 1e-6) / max).
        var divisor = maxGradNorm > 0 ? norm.Plus(1e-6).Over(maxGradNorm).AtLeast(1.0).reshape(1) : _noClipping;
        _stepCount.PlusInPlace(1.0);
        foreach (var group in _groups)
        {
            Tensor[] Views(Tensor flat) => group.Ranges.Select(r => flat.narrow(0, r.Offset, r.Length)).ToArray();
            FusedAdamWKernel.Step(Views(_master), Views(gradient), Views(_m), Views(_v), group.Ranges.Select(_ => _stepCount).ToArray(),
                LearningRate * group.Scale, _beta1, _beta2, group.Decays ? _weightDecay : 0, _eps, divisor);
        }
        _compute?.copy_(_master);
        return norm.MoveToOuterDisposeScope();
    }

    /// <summary>The optimizer's whole state: master weights, both moments and the step count.</summary>
    public int Steps => _step;

    public Dictionary<string, Tensor> ExportState() => new()
    {
        ["master"] = _master.detach().cpu().clone(),
        ["exp_avg"] = _m.detach().cpu().clone(),
        ["exp_avg_sq"] = _v.detach().cpu().clone(),
    };

    /// <summary>Restores <see cref="ExportState"/>'s tensors; the parameters (views of the buffer) follow.</summary>
    public void ImportState(IReadOnlyDictionary<string, Tensor> state, int steps)
    {
        using var noGrad = no_grad();
        foreach (var (name, target) in new[] { ("master", _master), ("exp_avg", _m), ("exp_avg_sq", _v) })
        {
            if (!state.TryGetValue(name, out var source) || !source.shape.SequenceEqual(target.shape))
                throw new RoadException($"the checkpoint's optimizer state \"{name}\" does not fit this model; it belongs to another configuration.");
            target.copy_(source);
        }
        _compute?.copy_(_master);
        _step = steps;
        using var count = ((double)steps).ToScalar();
        _stepCount.fill_(count);
    }

    public void Dispose()
    {
        _master.Dispose();
        _compute?.Dispose();
        _m.Dispose();
        _v.Dispose();
        _stepCount.Dispose();
        _noClipping.Dispose();
    }
}
