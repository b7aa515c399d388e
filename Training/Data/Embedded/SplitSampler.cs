namespace Probing.Training.Data.Embedded;

/// <summary>
/// Turns per-split candidate pools into final splits: drops candidates whose text also occurs in
/// a later split (test before dev before train, so evaluation text never appears in training),
/// drops repeats within a split, then takes the wanted number of examples, either balanced
/// over labels or in the pool's (shuffled) natural proportions.
/// </summary>
public static class SplitSampler
{
    public sealed record Sizes(int Train, int Dev, int Test)
    {
        public int For(string split) => split switch { SplitAssignment.Train => Train, SplitAssignment.Dev => Dev, _ => Test };
    }

    public static IReadOnlyDictionary<string, IReadOnlyList<Example>> Sample(
        IReadOnlyDictionary<string, List<Example>> pools, Sizes sizes, int labelCount, bool balanced, StableRandom random)
    {
        var reserved = new HashSet<string>();
        var result = new Dictionary<string, IReadOnlyList<Example>>();
        foreach (var split in new[] { SplitAssignment.Test, SplitAssignment.Dev, SplitAssignment.Train })
        {
            var pool = pools.TryGetValue(split, out var p) ? p : [];
            random.Shuffle(pool);
            var seenPairs = new HashSet<string>();
            var clean = pool.Where(e => !Keys(e).Any(reserved.Contains) && seenPairs.Add(PairKey(e))).ToList();
            var chosen = balanced ? TakeBalanced(clean, sizes.For(split), labelCount) : clean.Take(sizes.For(split)).ToList();
            random.Shuffle(chosen);
            result[split] = chosen;
            foreach (var e in chosen) reserved.UnionWith(Keys(e));
        }
        return SplitAssignment.Names.ToDictionary(s => s, s => result[s]);
    }

    static List<Example> TakeBalanced(List<Example> pool, int size, int labelCount)
    {
        var perLabel = size / labelCount;
        return pool.GroupBy(e => e.Label).OrderBy(g => g.Key).SelectMany(g => g.Take(perLabel)).ToList();
    }

    static IEnumerable<string> Keys(Example e) => e.Text2 == null ? [TextKey.Normalize(e.Text1)] : [TextKey.Normalize(e.Text1), TextKey.Normalize(e.Text2)];

    static string PairKey(Example e) => TextKey.Normalize(e.Text1) + "\t" + (e.Text2 == null ? "" : TextKey.Normalize(e.Text2));
}
