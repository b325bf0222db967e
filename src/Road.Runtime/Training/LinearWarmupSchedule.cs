namespace Road.Training;

/// <summary>Learning rate rising linearly from 0 over the warmup steps, then falling linearly to 0 at the last step.</summary>
public sealed record LinearWarmupSchedule(double PeakLearningRate, int TotalSteps, int WarmupSteps)
{
    public double At(int step) =>
        step < WarmupSteps
            ? PeakLearningRate * (step + 1) / WarmupSteps
            : PeakLearningRate * Math.Max(0, TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps);
}
