namespace Probing.Training.Infrastructure;

/// <summary>The loss became NaN or infinite; the last good checkpoint is kept as it was.</summary>
public sealed class TrainingDiverged(string message) : Exception(message);
