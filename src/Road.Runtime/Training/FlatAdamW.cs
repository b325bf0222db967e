using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>
/// AdamW (decoupled weight decay, Loshchilov and Hutter) with gradient clipping over ONE flat float32 buffer: every
/// parameter becomes a view into a flat buffer, so an update is about ten kernels whatever the number of parameters,
/// where TorchSharp's AdamW loops over parameters (about six kernels each, PLATFORM.md) and clip_grad_norm_ synchronises
/// with the device. With bf16 compute the parameters are views into a flat bf16 copy that is refreshed from the float32
/// masters after each update (master weights), so training keeps float32 accuracy.
/// </summary>
public sealed class FlatAdamW : IDisposable
{
    private readonly List<Parameter> _parameters;
    private readonly Tensor _master;
    private readonly Tensor? _compute;
    private readonly Tensor _decay;
    private readonly Tensor? _learningRateScale;
    private readonly Tensor _m;
    private readonly Tensor _v;
    private readonly double _beta1, _beta2, _eps, _weightDecay;
    private int _step;

    /// <param name="parameters">names and parameters, already on their device; a name decides weight decay</param>
    /// <param name="learningRateScale">a factor on the learning rate per parameter name (layer-wise learning rate); none when null</param>
    public FlatAdamW(IReadOnlyList<(string Name, Parameter Parameter)> parameters, double learningRate, double weightDecay,
        Precision precision = Precision.Float32, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-6,
        Func<string, double>? learningRateScale = null)
    {
        _parameters = parameters.Select(p => p.Parameter).ToList();
        (LearningRate, _weightDecay, _beta1, _beta2, _eps) = (learningRate, weightDecay, beta1, beta2, eps);
        var device = _parameters[0].device;
        long total = _parameters.Sum(p => p.numel());
        _master = zeros(total, dtype: ScalarType.Float32, device: device);
        _compute = precision == Precision.Float32 ? null : zeros(total, dtype: precision.ComputeType(), device: device);
        var decayMask = new float[total];
        var scales = learningRateScale is null ? null : new float[total];
        using (no_grad())
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
                if (Decays(parameters[i].Name)) Array.Fill(decayMask, 1f, (int)offset, (int)n);
                if (scales is not null) Array.Fill(scales, (float)learningRateScale!(parameters[i].Name), (int)offset, (int)n);
                offset += n;
            }
        }
        _decay = tensor(decayMask, device: device);
        _learningRateScale = scales is null ? null : tensor(scales, device: device);
        _m = zeros_like(_master);
        _v = zeros_like(_master);
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
        var norm = gradient.norm();
        if (maxGradNorm > 0) gradient.mul_(norm.Plus(1e-6).reciprocal().TimesInPlace(maxGradNorm).AtMost(1.0));
        _m.TimesInPlace(_beta1).PlusScaled(gradient, 1 - _beta1);
        _v.TimesInPlace(_beta2).PlusProduct(gradient, gradient, 1 - _beta2);
        double correction1 = 1 - Math.Pow(_beta1, _step);
        double correction2 = 1 - Math.Pow(_beta2, _step);
        var denominator = _v.sqrt().Over(Math.Sqrt(correction2)).PlusInPlace(_eps);
        if (_learningRateScale is null)
        {
            if (_weightDecay > 0) _master.mul_(_decay.Times(-LearningRate * _weightDecay).PlusInPlace(1.0));
            _master.PlusQuotient(_m, denominator, -LearningRate / correction1);
        }
        else
        {
            // Per-parameter learning rates: the same update with lr * scale, as separate parameter groups would do.
            if (_weightDecay > 0) _master.mul_((_decay * _learningRateScale).TimesInPlace(-LearningRate * _weightDecay).PlusInPlace(1.0));
            _master.sub_((_m / denominator * _learningRateScale).TimesInPlace(LearningRate / correction1));
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
    }

    public void Dispose()
    {
        _master.Dispose();
        _compute?.Dispose();
        _decay.Dispose();
        _learningRateScale?.Dispose();
        _m.Dispose();
        _v.Dispose();
    }
}
