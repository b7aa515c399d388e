using CsvHelper;
using Probing.Probing.Protocols;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>A row of <c>feature-guard.csv</c>: base and random encoder's probe dev score (fractions, mean over probe seeds) and their gap.</summary>
[CsvRecord]
public partial record FeatureGuardRow(string Task, string Probe, string Pooling, int Layer, string Metric, double Base, double Random, double Gap, bool BelowMinimum);

/// <summary>
/// The guard against reading collapse into features that were never there: per probe task (and probe,
/// pooling), the pretrained base's probe score minus a random encoder's, with a warning when the gap is small.
/// </summary>
public sealed class FeatureGuardSection : IReportSection
{
    /// <summary>Below this gap (points) a drop after fine-tuning cannot be told from losing features the base never had.</summary>
    public const double MinimumGap = 5.0;

    public bool AppliesTo(StudyResults results) =>
        results.Probes.Any(p => p.Role == ProbedModel.BaseRole) && results.Probes.Any(p => p.Role == ProbedModel.RandomRole);

    public void Render(StudyResults results, LearnedTaskGuard guard, Report report)
    {
        report.Heading("Is there anything to collapse? Base − random probe gap");
        var rows = new List<FeatureGuardRow>();
        foreach (var group in results.Probes.GroupBy(p => (p.Task, p.Probe, p.Pooling)).OrderBy(g => g.Key.Task, StringComparer.Ordinal).ThenBy(g => g.Key.Probe).ThenBy(g => g.Key.Pooling))
        {
            var layer = group.Max(p => p.Layer);
            double? Mean(string role)
            {
                var scores = group.Where(p => p.Role == role && p.Layer == layer).Select(p => p.Dev).ToList();
                return scores.Count > 0 ? scores.Average() : null;
            }
            if (Mean(ProbedModel.BaseRole) is not { } baseScore || Mean(ProbedModel.RandomRole) is not { } randomScore) continue;
            var gap = baseScore - randomScore;
            rows.Add(new FeatureGuardRow(group.Key.Task, group.Key.Probe, group.Key.Pooling, layer, group.First().Metric, baseScore, randomScore, gap, 100 * gap < MinimumGap));
        }
        var keysVary = rows.Select(r => (r.Probe, r.Pooling)).Distinct().Count() > 1;
        report.Table(new ReportTable("feature-guard",
            "Frozen-feature probe dev score (points, last probed layer, mean over probe seeds) of the pretrained base and of a randomly initialised encoder of the same shape"
            + (keysVary ? ", per probe and pooling." : $" ({rows.FirstOrDefault()?.Probe} probe, {rows.FirstOrDefault()?.Pooling} pooling)."),
            ["task", .. keysVary ? new[] { "probe", "pooling" } : [], "base", "random", "base − random", "guard"],
            [.. rows.Select(r => (IReadOnlyList<string>)[r.Task, .. keysVary ? new[] { r.Probe, r.Pooling } : [],
                Format.Points(r.Base), Format.Points(r.Random), Format.Signed(100 * r.Gap), r.BelowMinimum ? $"**below {MinimumGap:0} pts**" : "ok"])]));
        report.Data("feature-guard", rows);
        var small = rows.Where(r => r.BelowMinimum).Select(r => keysVary ? $"{r.Task} ({r.Probe}, {r.Pooling})" : r.Task).Distinct().ToList();
        if (small.Count > 0)
            report.Warn($"the base beats a random encoder by less than {MinimumGap:0} points on {string.Join(", ", small)}: a drop on these tasks after fine-tuning says little about collapse, because the base had little task-specific structure to lose.");
    }
}
