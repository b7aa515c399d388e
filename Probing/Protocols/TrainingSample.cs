using Probing.Training.Data.Embedded;

namespace Probing.Probing.Protocols;

/// <summary>
/// The train rows a probe sees for one (task, seed): a seeded permutation of the train split, cut to
/// the limit, whose last share is held out for the probe's own model selection.
/// </summary>
public static class TrainingSample
{
    public static (int[] Train, int[] Validation) Draw(string task, int seed, int trainCount, int? limit, double validationFraction)
    {
        var order = Enumerable.Range(0, trainCount).ToArray();
        new StableRandom(StableRandom.Hash($"probe-sample:{task}:{seed}")).Shuffle(order);
        var kept = order[..Math.Min(trainCount, limit ?? trainCount)];
        if (kept.Length < 2) throw new ArgumentException($"{task}: at least two train examples are needed, got {kept.Length}");
        var validation = Math.Clamp((int)Math.Round(kept.Length * validationFraction), 1, kept.Length - 1);
        return (kept[..^validation], kept[^validation..]);
    }

    /// <summary>Every train row any of <paramref name="seeds"/> draws, ascending (all rows when there is no limit).</summary>
    public static int[] RowsOfAllSeeds(string task, IEnumerable<int> seeds, int trainCount, int? limit, double validationFraction) =>
        limit is null || limit >= trainCount
            ? [.. Enumerable.Range(0, trainCount)]
            : [.. seeds.SelectMany(seed =>
            {
                var (train, validation) = Draw(task, seed, trainCount, limit, validationFraction);
                return train.Concat(validation);
            }).Distinct().Order()];
}
