using TorchSharp;
using static TorchSharp.torch;

namespace Road.Training;

/// <summary>
/// libtorch's own fused AdamW kernel (<c>torch._fused_adamw_</c>, what PyTorch's <c>AdamW(fused=True)</c> calls): one
/// multi-tensor pass updates parameters, both moments and decoupled weight decay, dividing the gradients by
/// <c>grad_scale</c> first. TorchSharp 0.107 has no binding for it, so it is reached through a TorchScript function
/// compiled once per process (the unit's Dispose does not free it, PLATFORM.md); written by hand because no served
/// package offers a fused optimizer for TorchSharp.
/// </summary>
internal static class FusedAdamWKernel
{
    // TorchScript wants the source to end with a newline; torch.jit.annotate is not reachable from a compiled string,
    // so the empty max_exp_avg_sqs list is a typed local. The numbers arrive in one float64 tensor: TorchSharp turns
    // numbers handed to invoke into Scalars that only the garbage collector frees, and a collection during the call
    // freed one under libtorch (seen with two ranks: "Scalar::toLong ... Expected false to be true").
    private const string Source =
        "def adamw(params: List[Tensor], grads: List[Tensor], exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor], steps: List[Tensor],\n" +
        "          hyper: Tensor, grad_scale: Tensor):\n" +
        "    unused: List[Tensor] = []\n" +
        "    torch._fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, unused, steps, lr=float(hyper[0]), beta1=float(hyper[1]),\n" +
        "                        beta2=float(hyper[2]), weight_decay=float(hyper[3]), eps=float(hyper[4]), amsgrad=False, maximize=False,\n" +
        "                        grad_scale=grad_scale, found_inf=None)\n";

    private static readonly Lazy<jit.CompilationUnit> Unit = new(() => jit.compile(Source));

    /// <summary>One AdamW step over a group of float32 tensors sharing a learning rate and weight decay.
    /// <paramref name="steps"/> hold the step count (already incremented), which the kernel reads for bias correction.</summary>
    public static void Step(Tensor[] parameters, Tensor[] gradients, Tensor[] expAvgs, Tensor[] expAvgSqs, Tensor[] steps,
        double learningRate, double beta1, double beta2, double weightDecay, double eps, Tensor gradScale)
    {
        using var hyper = tensor(new[] { learningRate, beta1, beta2, weightDecay, eps }, dtype: ScalarType.Float64);
        Unit.Value.invoke("adamw", new object[] { parameters, gradients, expAvgs, expAvgSqs, steps, hyper, gradScale });
    }
}
