using System.Runtime.InteropServices;
using Road.Distributed;

namespace Road.Training;

/// <summary>
/// A request to stop training cleanly: SIGTERM (what Slurm sends at a job's time limit or on preemption, and
/// <c>kill</c>'s default) or SIGUSR1 (Slurm's <c>--signal</c>, which Road's jobs ask for before the limit; Open MPI's
/// mpirun and srun pass it on to every rank). The training loops look after each step, every rank agreeing through
/// one small all-reduce, write a checkpoint at that step and end the run with <see cref="TrainingStopped"/>, so it
/// continues from there with <c>--resume</c> on any number of ranks. A second signal ends the process at once.
/// Installed by the experiment host only: a library caller keeps its own signal handling.
/// </summary>
public static class StopSignal
{
    // SIGUSR1's number on Linux, where Road runs (libtorch's Linux build); .NET passes raw numbers through.
    private const PosixSignal UserSignal1 = (PosixSignal)10;

    private static int _requested;
    private static readonly Lazy<PosixSignalRegistration[]> Registrations = new(() => [Register(PosixSignal.SIGTERM), Register(UserSignal1)]);

    /// <summary>Whether a signal has asked this process to stop.</summary>
    public static bool Requested => Volatile.Read(ref _requested) != 0;

    /// <summary>Handles SIGTERM and SIGUSR1 from now on in this process.</summary>
    public static void Install() => _ = Registrations.Value;

    /// <summary>Whether any rank was asked to stop: the same answer on every rank, so all stop at one step.</summary>
    public static bool Agreed(IProcessGroup group) =>
        group.Size == 1 ? Requested : group.Sum(Requested ? 1 : 0)[0] > 0;

    /// <summary>The end of a stopped run, once its checkpoint is written (every rank waits for rank 0's).</summary>
    public static TrainingStopped Stopped(IProcessGroup group, string stage, int step, int steps, bool checkpointed)
    {
        group.Sum(0);
        string written = checkpointed ? "its checkpoint is written" : "it keeps no checkpoint";
        return new TrainingStopped($"stage {stage} stopped on a signal at step {step} of {steps}; {written}. Continue the run with --resume (a stage run alone: RunStage again).", quiet: !group.Writes());
    }

    private static PosixSignalRegistration Register(PosixSignal signal) => PosixSignalRegistration.Create(signal, context =>
    {
        // The first signal is a request, answered at the next step; a second one is not held back.
        context.Cancel = Interlocked.Exchange(ref _requested, 1) == 0;
    });
}

/// <summary>A run that stopped on <see cref="StopSignal"/> after writing its checkpoint; <paramref name="quiet"/> on
/// the ranks that do not report.</summary>
public sealed class TrainingStopped(string message, bool quiet) : Exception(message)
{
    public bool Quiet { get; } = quiet;
}
