namespace Probing.Training.FineTuning;

/// <summary>
/// Early stopping on the dev history alone (the evaluation log a checkpoint carries), so a resumed run
/// stops at exactly the step an uninterrupted one would. Only a strictly better value is an improvement;
/// the first evaluation always is.
/// </summary>
public static class EarlyStopping
{
    /// <summary>Whether the last <paramref name="patience"/> evaluations all failed to beat the best before them (never when <paramref name="patience"/> is 0).</summary>
    public static bool ShouldStop(IReadOnlyList<double> history, int patience)
    {
        if (patience <= 0 || history.Count == 0) return false;
        var best = 0;
        for (var i = 1; i < history.Count; i++)
            if (history[i] > history[best]) best = i;
        return history.Count - 1 - best >= patience;
    }
}
