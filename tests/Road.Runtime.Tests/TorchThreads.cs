using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Road.Tests;

/// <summary>
/// The test process computes on one libtorch thread. libgomp gives every thread that calls libtorch a team of worker
/// threads that lives as long as that thread, and once there are more team threads than cores it makes every parallel
/// region sleep and wake instead of spin; xunit calls tests from many threads, so on two cores later tests ran up to
/// three times slower than alone (the MappedKd check 164 s in the suite, 76 s alone). One thread has no team, runs
/// the toy models within about 10% of two threads alone (MappedKd 83 s vs 76 s), and gives the same numbers on any
/// machine's core count. The other core goes to a second test process: the Test target runs the long checks
/// (Category=Long) beside the rest.
/// </summary>
internal static class TorchThreads
{
    [ModuleInitializer]
    internal static void ComputeOnOneThread() => set_num_threads(1);
}
