using System.Globalization;
using CsvHelper;
using Probing.Probing.Protocols;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>
/// A row of the report's <c>curve.csv</c>: the collapse curve's mean probe score over <see cref="Tasks"/>
/// (space-separated) of one series at one fine-tuning <see cref="Step"/>, summarised over seeds (each seed's
/// value is its mean over the tasks; the interval is Student's t as computed, not cut at the metric's range).
/// </summary>
[CsvRecord]
public partial record CurveSummaryRow(
    string Protocol, int StageIndex, string Stage, string Tasks, string Probe, string Pooling, int Layer, string Metric,
    string Series, int Step, int N, double Mean, double? Sd, double? CiLow, double? CiHigh, double Min, double Max, int NotLearned, string Seeds);

/// <summary>
/// The collapse curve (<c>--curve-every</c>): mean probe score of the curve's fixed probe subset against
/// the fine-tuning step, one line per method (variant labels as everywhere), per seed a thin line, and the
/// 95 % band. <em>When</em> collapse happens, where the generalization section shows only how much. One figure
/// per (protocol, stage, probe, pooling, layer, metric); no measurement, so no claim: the end point is the
/// generalization section's claim already, and more claims would only widen Holm's family.
/// </summary>
public sealed class CurveSection : IReportSection
{
    public const string Name = "curve";

    sealed record CurveKey(string Protocol, int StageIndex, string Stage, string Probe, string Pooling, int Layer, string Metric);

    public bool AppliesTo(StudyResults results) => results.Curve.Count > 0;

    public void Render(StudyResults results, LearnedTaskGuard guard, Report report)
    {
        var keys = results.Curve.Select(Key).Distinct()
            .OrderBy(k => k.Protocol, StringComparer.Ordinal).ThenBy(k => k.StageIndex).ThenBy(k => k.Probe, StringComparer.Ordinal)
            .ThenBy(k => k.Pooling, StringComparer.Ordinal).ThenBy(k => k.Layer).ThenBy(k => k.Metric, StringComparer.Ordinal).ToList();
        var csv = new List<CurveSummaryRow>();
        report.Heading("Collapse curve: when fine-tuning loses the other tasks");
        foreach (var key in keys)
        {
            var rows = results.Curve.Where(r => Key(r) == key).ToList();
            var tasks = rows.Select(r => r.Task).Distinct().Order(StringComparer.Ordinal).ToList();
            var series = MethodOrder.Sort(rows.Select(r => r.Method)).ToList();
            var steps = rows.Select(r => r.Step).Distinct().Order().ToList();
            var name = keys.Count == 1 ? "collapse-curve" : $"collapse-curve-{keys.IndexOf(key) + 1}";

            // Each seed's value at a step: its mean over the curve tasks, only where every task was probed (a point over fewer tasks is another quantity).
            Dictionary<int, SeedValue> Values(string method, int step) =>
                rows.Where(r => r.Method == method && r.Step == step).GroupBy(r => r.Seed).Where(g => g.Select(r => r.Task).Distinct().Count() == tasks.Count)
                    .OrderBy(g => g.Key).ToDictionary(g => g.Key, g => new SeedValue(g.Average(r => r.Dev), guard.NotLearned(key.Protocol, method, g.Key, key.StageIndex)));

            var lines = new List<(string, IReadOnlyList<(double, Cell)>)>();
            var table = new List<IReadOnlyList<string>>();
            foreach (var method in series)
            {
                var points = steps.Select(step => (Step: step, Values: Values(method, step))).Where(p => p.Values.Count > 0).ToList();
                if (points.Count == 0) continue;
                lines.Add((method, [.. points.Select(p => ((double)p.Step, Cell.Of(p.Values, 100)!))]));
                csv.AddRange(points.Select(p => Row(key, tasks, method, p.Step, p.Values)));
                var lowest = points.MinBy(p => p.Values.Values.Average(v => v.Value));
                table.Add([method, Format.MeanSd(points[0].Values), Format.MeanSd(points[^1].Values),
                    $"{Format.MeanSd(lowest.Values)} (step {lowest.Step})", points[0].Step.ToString(CultureInfo.InvariantCulture) + "–" + points[^1].Step.ToString(CultureInfo.InvariantCulture)]);
            }

            var axis = ValueAxis.Score("mean probe dev", key.Metric);
            var stage = key.StageIndex == 1 ? key.Stage : $"{key.Stage} (stage {key.StageIndex})";
            var figure = Charts.StepLines($"Collapse curve: fine-tuning on {stage}", "fine-tuning step", axis, lines);
            // At step 0 of the first stage every method still holds the pretrained base: that score is the reference the lines fall from.
            var start = key.StageIndex == 1 ? rows.Where(r => r.Step == 0).GroupBy(r => r.Seed).Select(g => g.Average(r => r.Dev)).ToList() : [];
            if (start.Count > 0) Charts.ReferenceLine(figure.Plot, 100 * start.Average(), "base (step 0)");
            var where = $"{key.Probe} probe, {key.Pooling} pooling, layer {key.Layer}";
            report.Figure(figure, name,
                $"Mean probe dev {key.Metric} over {tasks.Count} task{(tasks.Count == 1 ? "" : "s")} ({string.Join(", ", tasks)}; {where}, warm-started fits on a fixed dev subset) against the fine-tuning step on {stage}, "
                + "per method: thick line, mean over seeds; band, 95 % interval of the mean; thin lines, one seed."
                + (start.Count > 0 ? " Dashed: the pretrained base (every line's step 0)." : ""));
            report.Table(new ReportTable(name,
                $"Collapse curve on {stage} ({where}): mean probe dev {key.Metric} over the curve tasks (points, mean ± sd over seeds) at the first and last step and at the step where the mean is lowest.",
                ["method", "first step", "last step", "lowest mean", "steps"], table));
        }
        report.Data(Name, csv);
    }

    static CurveKey Key(CurveRow r) => new(r.Protocol, r.StageIndex, r.Stage, r.Probe, r.Pooling, r.Layer, r.Metric);

    static CurveSummaryRow Row(CurveKey key, IReadOnlyList<string> tasks, string series, int step, IReadOnlyDictionary<int, SeedValue> values)
    {
        var s = Summary.Of([.. values.Values.Select(v => v.Value)]);
        double? Finite(double x) => double.IsFinite(x) ? x : null;
        return new(key.Protocol, key.StageIndex, key.Stage, string.Join(" ", tasks), key.Probe, key.Pooling, key.Layer, key.Metric, series, step,
            s.Count, s.Mean, Finite(s.StandardDeviation), Finite(s.CiLow), Finite(s.CiHigh), s.Min, s.Max, values.Values.Count(v => !v.Learned),
            string.Join(" ", values.Keys.Order()));
    }
}
