namespace Probing.Workbench.Reporting;

public enum Verdict { Supported, Refuted, NotSignificant, NotTested }

/// <summary>
/// A claim of one of the papers, and what this study's numbers say about it: the effect (method −
/// baseline) in the claimed direction, its 95 % CI and p-value, and the verdict at α = 0.05.
/// </summary>
public sealed record ClaimResult(string Paper, string Claim, string Evidence, Verdict Verdict, string Effect)
{
    public const double Alpha = 0.05;

    /// <param name="higherIsClaimed">Whether the claim says the method's value is higher than the baseline's.</param>
    public static ClaimResult From(string paper, string claim, string evidence, Comparison comparison, bool higherIsClaimed, string unit)
    {
        var inClaimedDirection = higherIsClaimed ? comparison.MeanDifference > 0 : comparison.MeanDifference < 0;
        var verdict = !comparison.Significant(Alpha) ? Verdict.NotSignificant : inClaimedDirection ? Verdict.Supported : Verdict.Refuted;
        var effect = $"{Compare.Signed(comparison.MeanDifference, 2)}{unit} [95 % CI {Compare.Signed(comparison.CiLow, 2)}, {Compare.Signed(comparison.CiHigh, 2)}], "
            + FormattableString.Invariant($"{comparison.Test} p = {comparison.PValue:0.000} (n = {comparison.Count})");
        return new ClaimResult(paper, claim, evidence, verdict, effect);
    }

    public static ClaimResult Untested(string paper, string claim, string why) => new(paper, claim, why, Verdict.NotTested, "–");

    public string VerdictText => Verdict switch
    {
        Verdict.Supported => "supported",
        Verdict.Refuted => "refuted",
        Verdict.NotSignificant => "not significant",
        _ => "not tested here",
    };
}
