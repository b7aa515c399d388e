using Probing.Probing.Protocols;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>
/// The guard against reading collapse into features that were never there: per probe task, the
/// pretrained base's probe score minus a random encoder's, with a warning when the gap is small.
/// </summary>
public sealed class FeatureGuardSection : IReportSection
{
    /// <summary>Below this gap (points) a drop after fine-tuning cannot be told from losing features the base never had.</summary>
    public const double MinimumGap = 5.0;

    public bool AppliesTo(StudyResults results) =>
        results.Probes.Any(p => p.Role == ProbedModel.BaseRole) && results.Probes.Any(p => p.Role == ProbedModel.RandomRole);

    public void Render(StudyResults results, Report report)
    {
        report.Heading("Is there anything to collapse? Base − random probe gap");
        var rows = new List<IReadOnlyList<string>>();
        var small = new List<string>();
        foreach (var task in results.Probes.GroupBy(p => p.Task).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var layer = task.Max(p => p.Layer);
            double? Mean(string role)
            {
                var scores = task.Where(p => p.Role == role && p.Layer == layer).Select(p => p.Dev).ToList();
                return scores.Count > 0 ? scores.Average() : null;
            }
            if (Mean(ProbedModel.BaseRole) is not { } baseScore || Mean(ProbedModel.RandomRole) is not { } randomScore) continue;
            var gap = 100 * (baseScore - randomScore);
            if (gap < MinimumGap) small.Add(task.Key);
            rows.Add([task.Key, Compare.Points(baseScore), Compare.Points(randomScore), Compare.Signed(gap), gap < MinimumGap ? "**below 5 pts**" : "ok"]);
        }
        report.Table(new ReportTable("feature-guard", "Frozen-feature probe score (dev, points, last probed layer, mean over probe seeds) of the pretrained base and of a randomly initialised encoder of the same shape.",
            ["task", "base", "random", "base − random", "guard"], rows));
        if (small.Count > 0)
            report.Warn($"the base beats a random encoder by less than {MinimumGap:0} points on {string.Join(", ", small)}: a drop on these tasks after fine-tuning says little about collapse, because the base had little task-specific structure to lose.");
    }
}
