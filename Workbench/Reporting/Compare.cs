namespace Probing.Workbench.Reporting;

/// <summary>Scores of runs keyed by seed; compared paired by seed where both sides have the same seeds.</summary>
public static class Compare
{
    public static Comparison BySeed(IReadOnlyDictionary<int, double> method, IReadOnlyDictionary<int, double> baseline)
    {
        var shared = method.Keys.Intersect(baseline.Keys).Order().ToList();
        return shared.Count >= 2 && shared.Count == method.Count && shared.Count == baseline.Count
            ? Comparison.Paired([.. shared.Select(s => method[s])], [.. shared.Select(s => baseline[s])])
            : Comparison.Welch([.. method.Values], [.. baseline.Values]);
    }

    public static bool CanCompare(int methodRuns, int baselineRuns) => methodRuns >= 2 && baselineRuns >= 2;

    /// <summary>"81.2 ± 1.3" in points, for scores in [0, 1].</summary>
    public static string MeanSd(Summary s) => FormattableString.Invariant($"{100 * s.Mean:0.0} ± {100 * s.StandardDeviation:0.0}");

    public static string Points(double value) => FormattableString.Invariant($"{100 * value:0.0}");

    public static string Interval(Summary s) => FormattableString.Invariant($"[{100 * s.CiLow:0.0}, {100 * s.CiHigh:0.0}]");

    /// <summary>"+1.2" / "-0.3" / "0.0": rounded first, so a value that rounds to zero never prints as "-+0.0".</summary>
    public static string Signed(double value, int decimals = 1)
    {
        var rounded = Math.Round(value, decimals);
        var format = "+0." + new string('0', decimals) + ";-0." + new string('0', decimals) + ";0." + new string('0', decimals);
        return (rounded == 0 ? 0 : rounded).ToString(format, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Scores in points (×100) for comparisons reported in points.</summary>
    public static IReadOnlyDictionary<int, double> InPoints(IReadOnlyDictionary<int, double> scores) => scores.ToDictionary(kv => kv.Key, kv => 100 * kv.Value);
}
