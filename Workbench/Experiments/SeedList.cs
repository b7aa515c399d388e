using System.Globalization;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Experiments;

/// <summary>Parses <c>--seeds</c>: ranges and lists such as <c>1-10</c>, <c>1,3,5</c> or <c>1-3,7</c>.</summary>
public static class SeedList
{
    public static IReadOnlyList<int> Parse(string text)
    {
        var seeds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-');
            if (bounds.Length > 2 || !bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw new InputError($"--seeds {text}: '{part}' is not a seed or a range like 1-10");
            int first = int.Parse(bounds[0], CultureInfo.InvariantCulture), last = int.Parse(bounds[^1], CultureInfo.InvariantCulture);
            if (last < first) throw new InputError($"--seeds {text}: range '{part}' runs backwards");
            seeds.AddRange(Enumerable.Range(first, last - first + 1));
        }
        if (seeds.Count == 0) throw new InputError($"--seeds {text}: no seeds");
        if (seeds.Distinct().Count() != seeds.Count) throw new InputError($"--seeds {text}: a seed appears twice");
        return seeds;
    }
}
