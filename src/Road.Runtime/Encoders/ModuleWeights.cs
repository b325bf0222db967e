using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Road.Encoders;

/// <summary>
/// Gives a module built on the <c>meta</c> device (<see cref="OnMeta"/>: shapes only) the tensors it is to hold, so
/// loading a checkpoint draws no linear or LayerNorm weights it would throw away (embedding tables still are, see
/// <see cref="OnMeta"/>) and copies no tensor once more. TorchSharp has no
/// <c>to_empty</c> or <c>load_state_dict(assign=True)</c>, and a meta tensor's storage cannot be swapped for a CPU
/// one; its own modules (<c>Linear</c>, <c>Embedding</c>, <c>LayerNorm</c>) take a new <see cref="Parameter"/>
/// through their <c>weight</c> and <c>bias</c> properties, which is how this assigns.
/// </summary>
public static class ModuleWeights
{
    /// <summary>Every parameter of <paramref name="module"/> becomes a float32 parameter holding its tensor in
    /// <paramref name="weights"/> (keys as <c>state_dict</c> names them, shapes already checked); tensors already in
    /// float32 move into the parameters (their handles become empty), others are converted. The module must have no
    /// buffers, which would stay on the meta device.</summary>
    public static void Assign(nn.Module module, IReadOnlyDictionary<string, Tensor> weights)
    {
        if (module.named_buffers().FirstOrDefault() is { name: { } buffer })
            throw new InvalidOperationException($"{module.GetType().Name} has the buffer {buffer}, which assigning parameters would leave on the meta device.");
        var owners = module.named_modules().ToDictionary(m => m.name, m => m.module);
        foreach (var (name, _) in module.named_parameters().ToList())
        {
            int dot = name.LastIndexOf('.');
            var owner = dot < 0 ? module : owners[name[..dot]];
            string leaf = name[(dot + 1)..];
            var property = owner.GetType().GetProperty(leaf, BindingFlags.Public | BindingFlags.Instance);
            if (property is not { CanWrite: true } || !property.PropertyType.IsAssignableFrom(typeof(Parameter)))
                throw new InvalidOperationException($"{owner.GetType().Name} has no settable Parameter property {leaf} to assign {name} through.");
            var tensor = weights[name];
            property.SetValue(owner, new Parameter(tensor.dtype == ScalarType.Float32 ? tensor : tensor.to(ScalarType.Float32), requires_grad: true));
        }
    }

    /// <summary>What <paramref name="build"/> makes on the <c>meta</c> device, for <see cref="Assign"/> to fill.
    /// TorchSharp's <c>Embedding</c> draws its table on the CPU even then (its native constructor initialises, then
    /// the module moves), so the CPU generator's state is put back afterwards: loading a checkpoint leaves a seeded
    /// stage's random stream where it was.</summary>
    public static T OnMeta<T>(Func<Device, T> build)
    {
        using var state = torch.random.get_rng_state();
        try
        {
            return build(META);
        }
        finally
        {
            torch.random.set_rng_state(state);
        }
    }

    /// <summary>Whether every value is finite, in one pass without a mask as large as the tensor: a float's sum in
    /// double cannot overflow, so it is finite exactly when every value is.</summary>
    public static bool AllFinite(Tensor tensor)
    {
        if (!tensor.is_floating_point()) return true;
        using var sum = tensor.sum(ScalarType.Float64);
        return double.IsFinite(sum.item<double>());
    }
}
