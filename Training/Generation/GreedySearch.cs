namespace Probing.Training.Generation;

/// <summary>
/// Greedy decoding of many rows at once: every step each unfinished row takes its most probable
/// allowed token; a row that takes the end token is finished and dropped from the scorer.
/// </summary>
public static class GreedySearch
{
    /// <returns>Per row, the generated tokens without the end token.</returns>
    public static int[][] Run(IStepScorer scorer, int rows, int startId, int endId, GenerationOptions options)
    {
        options.Validate();
        var generated = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        var active = Enumerable.Range(0, rows).ToList();
        var last = Enumerable.Repeat((long)startId, rows).ToArray();
        while (active.Count > 0)
        {
            using var logProbabilities = scorer.NextLogProbabilities(last);
            StepConstraints.Apply(logProbabilities, [.. active.Select(r => generated[r])], options, endId);
            var best = logProbabilities.argmax(-1).data<long>().ToArray();
            var keep = new List<long>();
            var stillActive = new List<int>();
            for (int i = 0; i < active.Count; i++)
            {
                if (best[i] == endId) continue;
                generated[active[i]].Add((int)best[i]);
                keep.Add(i);
                stillActive.Add(active[i]);
            }
            if (stillActive.Count == 0) break;
            if (stillActive.Count < active.Count) scorer.SelectRows([.. keep]);
            last = [.. keep.Select(i => best[i])];
            active = stillActive;
        }
        return [.. generated.Select(g => g.ToArray())];
    }
}
