using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Road.Tests;

/// <summary>
/// The test process computes on one libtorch thread. libgomp gives every thread that calls libtorch a team of worker
/// threads that lives as long as that thread, and once there are more team threads than cores it makes every parallel
/// region sleep and wake instead of spin; xunit calls tests from many threads, so on two cores later tests ran up to
/// three times slower than alone (the MappedKd check 164 s in the suite, 76 s alone). One thread has no team, runs
/// the toy models within about 10% of two threads alone (MappedKd 83 s vs 76 s), and gives the same numbers on any
/// machine's core count.
/// </summary>
internal static class TorchThreads
{
    [ModuleInitializer]
    internal static void ComputeOnOneThread() => set_num_threads(1);

    /// <summary>Every core until disposed, for a test whose model is large enough to use them (a real encoder).</summary>
    public static IDisposable AllCores()
    {
        set_num_threads(Environment.ProcessorCount);
        return new OneThreadAgain();
    }

    private sealed class OneThreadAgain : IDisposable
    {
        public void Dispose() => set_num_threads(1);
    }
}
