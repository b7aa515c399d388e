namespace Probing.Workbench.Reporting;

public enum Verdict { Supported, Refuted, NotSignificant, InsufficientData, NotInterpretable }

/// <summary>
/// The rules that turn a claim's evidence into a verdict, in one place (docs/reporting.md states them
/// for readers). In order:
/// <list type="number">
/// <item>a claim resting on a run that did not learn its own task is <b>not interpretable</b>;</item>
/// <item>fewer than <see cref="MinimumSeeds"/> paired seeds, or no spread (every paired difference the
/// same, a zero variance), is <b>insufficient data</b>: no test can tell such an effect from noise;</item>
/// <item>otherwise the Holm-adjusted p-value over every claim of the report decides at
/// <see cref="Alpha"/>: <b>supported</b> (the effect lies in the claimed direction; a claim without a
/// direction says only that the two differ), <b>refuted</b> (significant the other way) or
/// <b>not significant</b>.</item>
/// </list>
/// The raw p-value is reported beside the adjusted one, but never decides.
/// </summary>
public static class VerdictRules
{
    public const double Alpha = 0.05;
    public const int MinimumSeeds = 3;

    /// <summary>
    /// Spread below this fraction of the values' magnitude is rounding, not variation: a test on it
    /// would turn a floating-point residue into a p-value near 0.
    /// </summary>
    const double RelativeSpreadFloor = 1e-9;

    public static bool IsDegenerate(double sd, IReadOnlyCollection<double> values) =>
        !double.IsFinite(sd) || sd <= RelativeSpreadFloor * Math.Max(1e-12, values.Max(v => Math.Abs(v)));

    /// <summary>The verdict on every claim of one family (a report, or one seed block of it), with Holm's adjustment over the family.</summary>
    public static IReadOnlyList<Claim> Decide(IReadOnlyList<ClaimEvidence> family)
    {
        var adjusted = Holm.Adjust([.. family.Select(e => e.Comparison.PValue)]);
        return [.. family.Select((e, i) =>
        {
            var (verdict, reason) = Decide(e, adjusted[i]);
            return new Claim(e, adjusted[i], verdict, reason);
        })];
    }

    public static (Verdict Verdict, string Reason) Decide(ClaimEvidence evidence, double adjustedP)
    {
        var c = evidence.Comparison;
        if (evidence.NotLearned.Count > 0)
            return (Verdict.NotInterpretable, "rests on runs that did not learn their task: " + LearnedTaskGuard.Describe(evidence.NotLearned));
        if (c.Count < MinimumSeeds)
            return (Verdict.InsufficientData, $"{c.Count} paired seed{(c.Count == 1 ? "" : "s")}; a verdict needs at least {MinimumSeeds}");
        if (!c.HasPValue || !double.IsFinite(adjustedP))
            return (Verdict.InsufficientData, c.Test == EffectTest.VarianceRatio ? "a variance is zero: no test of the variance ratio" : "every paired difference is the same (zero spread): no t-test");
        if (adjustedP >= Alpha) return (Verdict.NotSignificant, "");
        var higher = c.Effect > c.Null;
        return evidence.Direction switch
        {
            ClaimDirection.Differs => (Verdict.Supported, ""),
            ClaimDirection.Higher => (higher ? Verdict.Supported : Verdict.Refuted, ""),
            _ => (higher ? Verdict.Refuted : Verdict.Supported, ""),
        };
    }

    public static string Text(Verdict verdict) => verdict switch
    {
        Verdict.Supported => "supported",
        Verdict.Refuted => "refuted",
        Verdict.NotSignificant => "not significant",
        Verdict.InsufficientData => "insufficient data",
        _ => "not interpretable",
    };
}
