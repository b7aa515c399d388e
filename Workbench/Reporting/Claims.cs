using CsvHelper;

namespace Probing.Workbench.Reporting;

/// <summary>What a claim says about the method's value against the baseline's.</summary>
public enum ClaimDirection { Differs, Higher, Lower }

/// <summary>
/// A claim and the numbers it rests on: the method against a baseline on one measurement, over the
/// seeds both have. <see cref="Statement"/> is the paper's wording where a paper makes this claim
/// (<see cref="PaperClaims"/>), else a neutral "method differs from baseline".
/// <see cref="NotLearned"/> lists the runs behind it that did not learn their task.
/// </summary>
public sealed record ClaimEvidence(
    Measurement Measurement, string Method, string Baseline, ClaimDirection Direction, string Paper, string Statement,
    Comparison Comparison, IReadOnlyList<int> Seeds, IReadOnlyList<RunRow> NotLearned)
{
    public MeasurementKey Key => Measurement.Key;

    /// <summary>A stable id: the same claim in another seed block or another run of the study has the same id.</summary>
    public string Id => string.Join("|", Key.Section, Key.Quantity, Key.Probe, Key.Pooling, Key.Layer?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        Key.Metric, Key.Task, Method, Baseline, Comparison.Test == EffectTest.VarianceRatio ? "variance-ratio" : "difference");
}

/// <summary>A claim with its verdict: <see cref="AdjustedP"/> is Holm's over the claims of its report.</summary>
public sealed record Claim(ClaimEvidence Evidence, double AdjustedP, Verdict Verdict, string Reason)
{
    public string VerdictText => VerdictRules.Text(Verdict);

    public ClaimRow ToRow()
    {
        var e = Evidence;
        var c = e.Comparison;
        double? Finite(double x) => double.IsFinite(x) ? x : null;
        return new ClaimRow(e.Id, e.Key.Section, e.Key.Quantity, e.Key.Probe, e.Key.Pooling, e.Key.Layer, e.Key.Metric, e.Key.Task,
            e.Method, e.Baseline, c.Test == EffectTest.VarianceRatio ? "pitman_morgan" : "paired_t", e.Direction.ToString().ToLowerInvariant(), e.Paper, e.Statement,
            e.Measurement.Unit.ToString().ToLowerInvariant(), c.Count, Finite(c.Effect), Finite(c.Sd), Finite(c.CiLow), Finite(c.CiHigh),
            Finite(c.PValue), Finite(AdjustedP), VerdictText, Reason, string.Join(" ", e.Seeds));
    }
}

/// <summary>
/// A row of <c>claims.csv</c>. <see cref="Effect"/>: the mean per-seed difference method − baseline
/// (test <c>paired_t</c>; <see cref="Sd"/> is the sd of the differences) or the ratio of variances
/// (test <c>f</c>); on the unit's scale (scores as fractions, seconds). Empty cells: undefined (no spread, one seed).
/// </summary>
[CsvRecord]
public partial record ClaimRow(
    string ClaimId, string Section, string Quantity, string Probe, string Pooling, int? Layer, string Metric, string Task,
    string Method, string Baseline, string Test, string Direction, string Paper, string Claim, string Unit,
    int N, double? Effect, double? Sd, double? CiLow, double? CiHigh, double? P, double? PHolm, string Verdict, string Reason, string Seeds);

/// <summary>
/// Turns measurements into claims, the same way for every method: each method (and each variant of one)
/// against <c>standard</c>, against the same variant of <c>standard</c>, and against the <c>base</c> (where
/// the base was measured), on every measurement and test, plus any further pair a paper claim names (R3F
/// against SMART). A new method name or variant gets its claims with no edit here.
/// </summary>
public static class ClaimBuilder
{
    public const string Standard = "standard", Base = "base", Random = "random";

    /// <summary>Series that are references, not methods: never compared as methods.</summary>
    public static bool IsReference(string series) => series is Base or Random;

    /// <param name="seeds">Restricts every claim to these seeds (one seed block); null for all.</param>
    public static IReadOnlyList<ClaimEvidence> Evidence(IEnumerable<Measurement> measurements, IReadOnlyList<PaperClaim> paperClaims, IReadOnlySet<int>? seeds = null)
    {
        var evidence = new List<ClaimEvidence>();
        foreach (var measurement in measurements)
            foreach (var test in measurement.Tests)
                foreach (var (method, baseline) in Pairs(measurement, test, paperClaims))
                {
                    var paper = paperClaims.FirstOrDefault(p => p.Matches(measurement.Key, method, baseline, test));
                    if (Compare(measurement, method, baseline, test, paper, seeds) is { } claim) evidence.Add(claim);
                }
        return evidence;
    }

    /// <summary>
    /// Every method (and every variant of one, <see cref="MethodLabel"/>) against <c>standard</c>, against
    /// <c>standard</c> of the same variant (R3F with label smoothing against standard with the same label
    /// smoothing), and against the base; then the further pairs the papers name.
    /// </summary>
    static IEnumerable<(string Method, string Baseline)> Pairs(Measurement measurement, EffectTest test, IReadOnlyList<PaperClaim> paperClaims)
    {
        var series = measurement.Series.Keys.ToList();
        var methods = MethodOrder.Sort(series.Where(s => !IsReference(s))).ToList();
        var pairs = new List<(string, string)>();
        void Add(string method, string baseline)
        {
            // A variance-ratio claim against the base makes no sense (the base's probe scores vary only with the probe seed).
            if (method != baseline && series.Contains(baseline) && !(test == EffectTest.VarianceRatio && baseline == Base) && !pairs.Contains((method, baseline)))
                pairs.Add((method, baseline));
        }
        foreach (var method in methods) Add(method, Standard);
        foreach (var method in methods) Add(method, MethodLabel.Of(Standard, MethodLabel.VariantOf(method)));
        foreach (var method in methods) Add(method, Base);
        foreach (var paper in paperClaims.Where(p => p.Section == measurement.Key.Section && p.Quantity == measurement.Key.Quantity && p.Test == test))
            if (series.Contains(paper.Method) && series.Contains(paper.Baseline) && !pairs.Contains((paper.Method, paper.Baseline)))
                pairs.Add((paper.Method, paper.Baseline));
        return pairs;
    }

    static ClaimEvidence? Compare(Measurement measurement, string method, string baseline, EffectTest test, PaperClaim? paper, IReadOnlySet<int>? seeds)
    {
        var m = measurement.Series[method];
        var b = measurement.Series[baseline];
        var shared = m.Keys.Intersect(b.Keys).Where(s => seeds is null || seeds.Contains(s)).Order().ToList();
        if (shared.Count == 0) return null;
        double[] mv = [.. shared.Select(s => m[s].Value)], bv = [.. shared.Select(s => b[s].Value)];
        var comparison = test == EffectTest.VarianceRatio ? Comparison.VarianceRatio(mv, bv) : Comparison.Paired(mv, bv);
        var notLearned = shared.SelectMany(s => m[s].NotLearned.Concat(b[s].NotLearned)).Distinct().ToList();
        var statement = paper?.Statement ?? (test == EffectTest.VarianceRatio
            ? $"{method}'s spread across seeds differs from {baseline}'s"
            : $"{method} differs from {baseline}");
        return new ClaimEvidence(measurement, method, baseline, paper?.Direction ?? ClaimDirection.Differs, paper?.Paper ?? "", statement,
            comparison, shared, notLearned);
    }
}

/// <summary>
/// The order series appear in tables and legends: the references (base, random), then the methods in
/// the order the method registry lists them (a method's variants after it, <see cref="MethodLabel"/>), then any other name alphabetically.
/// </summary>
public static class MethodOrder
{
    public static int Of(string series)
    {
        if (series == ClaimBuilder.Base) return 0;
        if (series == ClaimBuilder.Random) return 1;
        var index = Training.Regularizers.MethodRegistry.Kinds.ToList().IndexOf(MethodLabel.KindOf(series));
        return index >= 0 ? 2 + index : int.MaxValue;
    }

    public static IEnumerable<string> Sort(IEnumerable<string> series) => series.Distinct().OrderBy(Of).ThenBy(s => s, StringComparer.Ordinal);
}
