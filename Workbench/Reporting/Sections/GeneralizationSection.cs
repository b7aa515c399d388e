using Probing.Probing.Protocols;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>
/// The generalization probe table and bars (Aghajanyan et al.'s "probe on other tasks" experiment):
/// frozen-feature probe scores of every fine-tuned model per task, with the base and random encoders as references.
/// </summary>
public sealed class GeneralizationSection : IReportSection
{
    const string Paper = "Aghajanyan et al. 2020";

    public bool AppliesTo(StudyResults results) => Rows(results).Any();

    static IEnumerable<ProbeRow> Rows(StudyResults results) => results.Probes.Where(p => p.Protocol == "generalization");

    public void Render(StudyResults results, Report report)
    {
        var all = Rows(results).ToList();
        var layer = ProbeScores.TopLayer(all);
        var rows = all.Where(r => r.Layer == layer).ToList();
        var tasks = rows.Select(r => r.Task).Distinct().Order(StringComparer.Ordinal).ToList();
        var series = ProbeScores.OrderedSeries(rows).ToList();
        var metric = string.Join("/", rows.Select(r => r.Metric).Distinct());

        report.Heading("Generalization probes: what fine-tuning left for other tasks");
        report.Figure(Charts.GroupedBars($"Frozen-feature probes (layer {layer}) after fine-tuning", $"dev {metric} (%)", tasks,
            [.. series.Select(s => new Series(s, [.. tasks.Select(t => ProbeScores.EstimateOf(rows.Where(r => r.Task == t && ProbeScores.SeriesOf(r) == s)))]))], "probe task"),
            "generalization", "Linear-probe dev score per task (mean over seeds, 95 % CI); black = pretrained base, grey = random encoder.");
        report.Table(new ReportTable("generalization", $"Probe dev {metric} (points, layer {layer}), mean ± sd over seeds; last column: mean over tasks.",
            ["model", .. tasks, "mean over tasks"],
            [.. series.Select(s => (IReadOnlyList<string>)[s, .. tasks.Select(t => Cell(rows.Where(r => r.Task == t && ProbeScores.SeriesOf(r) == s))), Cell(rows.Where(r => ProbeScores.SeriesOf(r) == s))])]));

        var overTasks = series.ToDictionary(s => s, s => Compare.InPoints(ProbeScores.BySeed(rows.Where(r => ProbeScores.SeriesOf(r) == s))));
        void Claim(string method, string baseline, string claim, bool higher)
        {
            if (overTasks.TryGetValue(method, out var m) && overTasks.TryGetValue(baseline, out var b) && Compare.CanCompare(m.Count, b.Count))
                report.Claim(ClaimResult.From(Paper, claim, $"mean probe score over {tasks.Count} other tasks", Compare.BySeed(m, b), higher, " pts"));
        }
        Claim("standard", "base", "standard fine-tuning degrades the representation for other tasks (collapse)", higher: false);
        Claim("r3f", "standard", "R3F keeps more general features than standard fine-tuning", higher: true);
        Claim("r4f", "standard", "R4F keeps more general features than standard fine-tuning", higher: true);
    }

    static string Cell(IEnumerable<ProbeRow> rows)
    {
        var scores = ProbeScores.BySeed(rows).Values.ToList();
        return scores.Count == 0 ? "–" : Compare.MeanSd(Summary.Of(scores));
    }
}
