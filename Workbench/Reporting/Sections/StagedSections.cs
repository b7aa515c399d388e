using Probing.Probing.Protocols;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>
/// The degradation chain (Aghajanyan et al.): after each sequential fine-tuning stage, how well a
/// frozen probe still reads the first task; plus each stage's own fine-tuned dev score.
/// </summary>
public sealed class ChainSection : IReportSection
{
    public bool AppliesTo(StudyResults results) => results.Probes.Any(p => p.Protocol == "chain");

    public void Render(StudyResults results, Report report)
    {
        var rows = TopLayerRows(results, "chain");
        var stages = StageLabels(rows);
        var firstTask = rows.Where(r => r.StageIndex == 0).Select(r => r.Task).First();
        var methods = rows.Select(r => r.Method).Distinct().OrderBy(MethodOrder.Of).ToList();
        var metric = rows.First(r => r.Task == firstTask).Metric;
        report.Heading($"Degradation chain: {string.Join(" → ", stages.Skip(1))}");
        var series = methods.Select(m => new Series(m, [.. stages.Select((_, i) =>
            ProbeScores.EstimateOf(rows.Where(r => r.Method == m && r.StageIndex == i && r.Task == firstTask)))])).ToList();
        report.Figure(Charts.Lines($"Probe of {firstTask} along the chain", "stage (task fine-tuned last)", $"{firstTask} probe dev {metric} (%)", stages, series),
            "chain", $"Frozen linear probe of the first task ({firstTask}) after each stage; mean over seeds with 95 % CI.");
        report.Table(new ReportTable("chain", $"{firstTask} probe dev {metric} (points) after each stage, mean ± sd over seeds.",
            ["method", .. stages], [.. methods.Select(m => (IReadOnlyList<string>)[m, .. stages.Select((_, i) => Cell(rows.Where(r => r.Method == m && r.StageIndex == i && r.Task == firstTask)))])]));
        StageTable(results, report, "chain");

        var last = stages.Count - 1;
        var final = methods.ToDictionary(m => m, m => Compare.InPoints(ProbeScores.BySeed(rows.Where(r => r.Method == m && r.StageIndex == last && r.Task == firstTask))));
        foreach (var method in new[] { "r3f", "r4f" })
            if (final.TryGetValue(method, out var m) && final.TryGetValue("standard", out var s) && Compare.CanCompare(m.Count, s.Count))
                report.Claim(ClaimResult.From("Aghajanyan et al. 2020", $"{method.ToUpperInvariant()} degrades the first task less than standard along the chain",
                    $"{firstTask} probe after the last stage", Compare.BySeed(m, s), higherIsClaimed: true, " pts"));
    }

    internal static List<ProbeRow> TopLayerRows(StudyResults results, string protocol)
    {
        var rows = results.Probes.Where(p => p.Protocol == protocol).ToList();
        var layer = ProbeScores.TopLayer(rows);
        return [.. rows.Where(r => r.Layer == layer)];
    }

    /// <summary>"base", then the task fine-tuned at each stage (with its index when tasks repeat, as in retention).</summary>
    internal static List<string> StageLabels(IReadOnlyList<ProbeRow> rows)
    {
        var byIndex = rows.GroupBy(r => r.StageIndex).OrderBy(g => g.Key).Select(g => (g.Key, g.First().Stage)).ToList();
        var repeats = byIndex.GroupBy(s => s.Stage).Any(g => g.Count() > 1);
        return [.. byIndex.Select(s => s.Key == 0 ? "base" : repeats ? $"{s.Key}:{s.Stage}" : s.Stage)];
    }

    internal static string Cell(IEnumerable<ProbeRow> rows)
    {
        var scores = ProbeScores.BySeed(rows).Values.ToList();
        return scores.Count == 0 ? "–" : Compare.MeanSd(Summary.Of(scores));
    }

    internal static void StageTable(StudyResults results, Report report, string protocol)
    {
        var stages = results.Stages.Where(s => s.Protocol == protocol).ToList();
        if (stages.Count == 0) return;
        var indices = stages.Select(s => (s.StageIndex, s.Stage)).Distinct().OrderBy(s => s.StageIndex).ToList();
        var methods = stages.Select(s => s.Method).Distinct().OrderBy(MethodOrder.Of).ToList();
        report.Table(new ReportTable($"{protocol}-stages", "Each stage's own fine-tuned dev score (points, best checkpoint), mean ± sd over seeds.",
            ["method", .. indices.Select(i => $"{i.StageIndex}:{i.Stage}")],
            [.. methods.Select(m => (IReadOnlyList<string>)[m, .. indices.Select(i =>
            {
                var scores = stages.Where(s => s.Method == m && s.StageIndex == i.StageIndex).Select(s => s.Dev).ToList();
                return scores.Count == 0 ? "–" : Compare.MeanSd(Summary.Of(scores));
            })])]));
    }
}

/// <summary>Retention cycles: every task's probe score after every stage, as the tasks come round again.</summary>
public sealed class RetentionSection : IReportSection
{
    public bool AppliesTo(StudyResults results) => results.Probes.Any(p => p.Protocol == "retention");

    public void Render(StudyResults results, Report report)
    {
        var rows = ChainSection.TopLayerRows(results, "retention");
        var stages = ChainSection.StageLabels(rows);
        var methods = rows.Select(r => r.Method).Distinct().OrderBy(MethodOrder.Of).ToList();
        report.Heading("Retention cycles");
        foreach (var task in rows.Select(r => r.Task).Distinct().Order(StringComparer.Ordinal))
        {
            var metric = rows.First(r => r.Task == task).Metric;
            var series = methods.Select(m => new Series(m, [.. stages.Select((_, i) =>
                ProbeScores.EstimateOf(rows.Where(r => r.Method == m && r.StageIndex == i && r.Task == task)))])).ToList();
            report.Figure(Charts.Lines($"Retention of {task}", "stage (index:task fine-tuned)", $"{task} probe dev {metric} (%)", stages, series),
                $"retention-{task}", $"Frozen linear probe of {task} after every stage of the cycles; mean over seeds with 95 % CI.");
        }
        report.Table(new ReportTable("retention", "Probe dev score (points) of every task after every stage, mean ± sd over seeds.",
            ["method", "task", .. stages],
            [.. from m in methods from t in rows.Select(r => r.Task).Distinct().Order(StringComparer.Ordinal)
                select (IReadOnlyList<string>)[m, t, .. stages.Select((_, i) => ChainSection.Cell(rows.Where(r => r.Method == m && r.StageIndex == i && r.Task == t)))]]));
        ChainSection.StageTable(results, report, "retention");
    }
}
