using CsvHelper;

namespace Probing.Workbench.Reporting;

/// <summary>
/// One claim judged on two disjoint seed blocks: the study's own seeds and a second block that ran the
/// same cells on other seeds (experiments/paper/replication/). <see cref="Replicates"/> is true when both
/// blocks reach the same decisive verdict (supported, refuted or not significant), false when they
/// reach different ones, and null when either block cannot decide (insufficient data, not
/// interpretable) or has no such claim.
/// </summary>
public sealed record ReplicatedClaim(string Id, string Statement, Claim First, Claim? Second)
{
    public bool? Replicates =>
        Second is null || !IsDecisive(First.Verdict) || !IsDecisive(Second.Verdict) ? null : First.Verdict == Second.Verdict;

    static bool IsDecisive(Verdict verdict) => verdict is Verdict.Supported or Verdict.Refuted or Verdict.NotSignificant;

    public static string Text(bool? replicates) => replicates switch { true => "yes", false => "no", null => "cannot tell" };

    public ReplicationRow ToRow()
    {
        double? Finite(double x) => double.IsFinite(x) ? x : null;
        return new ReplicationRow(Id, Statement, First.VerdictText, Finite(First.Evidence.Comparison.Effect), Finite(First.AdjustedP), First.Evidence.Comparison.Count,
            Second?.VerdictText ?? "", Second is null ? null : Finite(Second.Evidence.Comparison.Effect), Second is null ? null : Finite(Second.AdjustedP),
            Second?.Evidence.Comparison.Count, Text(Replicates));
    }
}

/// <summary>A row of <c>replication.csv</c>: a claim's verdict, effect and Holm-adjusted p on each seed block.</summary>
[CsvRecord]
public partial record ReplicationRow(
    string ClaimId, string Claim, string FirstVerdict, double? FirstEffect, double? FirstPHolm, int FirstN,
    string SecondVerdict, double? SecondEffect, double? SecondPHolm, int? SecondN, string Replicates);

public static class Replication
{
    /// <summary>The folder of a study's second seed block: the study's folder name + this suffix (the spec's name + "-replication").</summary>
    public const string Suffix = "-replication";
    public const string TableName = "replication";

    /// <summary>
    /// Pairs every claim of the first block with the claim of the same id in the second. Each block keeps
    /// its own Holm family (its own report), so a claim replicates only if it survives both adjustments.
    /// </summary>
    public static IReadOnlyList<ReplicatedClaim> Compare(IReadOnlyList<Claim> first, IReadOnlyList<Claim> second)
    {
        var byId = second.GroupBy(c => c.Evidence.Id).ToDictionary(g => g.Key, g => g.First());
        return [.. first.Select(c => new ReplicatedClaim(c.Evidence.Id, c.Evidence.Statement, c, byId.GetValueOrDefault(c.Evidence.Id)))];
    }
}
