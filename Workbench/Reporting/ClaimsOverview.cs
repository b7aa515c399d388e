using System.Text;
using CsvHelper;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Reporting;

/// <summary>
/// The papers' claims of several studies in one table, each on both seed blocks: what the README's
/// claims table is, regenerated from the saved results (<c>workbench figures results/paper-* --overview FILE</c>)
/// instead of copied by hand. Only claims a paper makes (<see cref="PaperClaims"/>) are listed; every
/// other claim stays in its study's report. Verdicts and Holm-adjusted p-values are the studies' own
/// (each report is its own Holm family), so this table adds no test of its own.
/// </summary>
public static class ClaimsOverview
{
    /// <summary>Writes <paramref name="path"/> (Markdown) and the same rows as CSV beside it (<c>.csv</c>).</summary>
    public static IReadOnlyList<OverviewRow> Write(string path, IEnumerable<(string Study, IReadOnlyList<ReplicatedClaim> Claims)> studies)
    {
        var rows = Rows(studies);
        var text = new StringBuilder();
        text.AppendLine("| study | claim (paper) | evidence | block 1: n, effect [95 % CI], p (Holm) | verdict | block 2: n, effect [95 % CI], p (Holm) | verdict | replicates |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (row, claim) in rows)
        {
            static string Numbers(Claim c) =>
                $"{c.Evidence.Comparison.Count}, {Format.Effect(c.Evidence.Comparison, c.Evidence.Measurement.Unit)}, {Format.P(c.AdjustedP)}";
            text.AppendLine($"| {row.Study} | {row.Claim} ({row.Paper}) | {claim.First.Evidence.Measurement.Description} | {Numbers(claim.First)} | **{row.FirstVerdict}** | "
                + $"{(claim.Second is null ? "not run" : Numbers(claim.Second))} | {(claim.Second is null ? "–" : $"**{row.SecondVerdict}**")} | {row.Replicates} |");
        }
        AtomicFile.WriteAllText(path, text.ToString());
        var table = rows.Select(r => r.Row).ToList();
        CsvTable.Write(Path.ChangeExtension(path, ".csv"), table);
        return table;
    }

    static List<(OverviewRow Row, ReplicatedClaim Claim)> Rows(IEnumerable<(string Study, IReadOnlyList<ReplicatedClaim> Claims)> studies) =>
        [.. studies.SelectMany(s => s.Claims.Where(c => c.First.Evidence.Paper.Length > 0).Select(c =>
        {
            var r = c.ToRow();
            return (new OverviewRow(s.Study, c.First.Evidence.Paper, r.ClaimId, r.Claim, r.FirstN, r.FirstEffect, r.FirstPHolm, r.FirstVerdict,
                r.SecondN, r.SecondEffect, r.SecondPHolm, c.Second is null ? "" : r.SecondVerdict, r.Replicates), c);
        }))];
}

/// <summary>A row of the claims overview's CSV: one paper claim of one study on both seed blocks (effects on the unit's scale, as in claims.csv).</summary>
[CsvRecord]
public partial record OverviewRow(
    string Study, string Paper, string ClaimId, string Claim, int FirstN, double? FirstEffect, double? FirstPHolm, string FirstVerdict,
    int? SecondN, double? SecondEffect, double? SecondPHolm, string SecondVerdict, string Replicates);
