namespace Probing.Training.Infrastructure;

/// <summary>The loss became NaN or infinite; the last good checkpoint, if any, is kept as it was.</summary>
public sealed class TrainingDiverged(string message) : Exception(message)
{
    /// <summary>What is left to resume from: a checkpoint that exists, or the plain fact that there is none yet.</summary>
    public static string CheckpointNote(int lastCheckpointStep, int checkpointEvery) => lastCheckpointStep > 0
        ? $"the last good checkpoint (step {lastCheckpointStep}) is kept"
        : $"no checkpoint was written before it (the first is due at step {checkpointEvery}), so nothing is kept";
}
