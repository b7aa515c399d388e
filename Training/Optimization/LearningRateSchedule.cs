namespace Probing.Training.Optimization;

/// <summary>Linear warm-up from 0 to the peak, then linear decay to 0 at the last step (BERT's schedule).</summary>
public sealed record LearningRateSchedule(double Peak, int WarmupSteps, int TotalSteps)
{
    /// <param name="step">0-based index of the update about to be applied.</param>
    public double At(int step)
    {
        if (WarmupSteps > 0 && step < WarmupSteps) return Peak * (step + 1) / WarmupSteps;
        var remaining = TotalSteps - step;
        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        return Peak * Math.Max(0, (double)remaining / decaySteps);
    }
}
