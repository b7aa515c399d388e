namespace Probing.Training.Infrastructure;

/// <summary>What a long loop reports; the CLI renders it as a progress bar or as plain log lines.</summary>
public sealed record TrainingStatus(string Phase, int Step, int TotalSteps, double Loss, double LearningRate, TimeSpan Elapsed);

public interface ITrainingProgress
{
    void Report(TrainingStatus status);
    void Message(string text);
}

public sealed class SilentProgress : ITrainingProgress
{
    public static readonly SilentProgress Instance = new();
    public void Report(TrainingStatus status) { }
    public void Message(string text) { }
}
