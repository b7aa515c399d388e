using Probing.Probing.Protocols;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>
/// The generalization probes (Aghajanyan et al.'s "probe on other tasks" experiment): frozen-feature probe
/// scores of every fine-tuned model per task, with the base and random encoders as references. One
/// figure, table block and measurement per (probe, pooling, metric); the deepest probed layer (every
/// layer is in the CSV and the drift section).
/// </summary>
public sealed class GeneralizationSection : IReportSection
{
    public const string Name = "generalization", MeanOverTasks = "probe-mean-over-tasks";

    public bool AppliesTo(StudyResults results) => Rows(results).Any();

    static IEnumerable<ProbeRow> Rows(StudyResults results) => results.Probes.Where(p => p.Protocol == Name);

    public void Render(StudyResults results, LearnedTaskGuard guard, Report report)
    {
        var all = Rows(results).ToList();
        var keys = ProbeKey.In(all);
        var csv = new List<SummaryRow>();
        report.Heading("Generalization probes: what fine-tuning left for other tasks");
        foreach (var key in keys)
        {
            var keyed = all.Where(r => ProbeKey.Of(r) == key).ToList();
            var layer = ProbeScores.TopLayer(keyed);
            var rows = keyed.Where(r => r.Layer == layer).ToList();
            var tasks = rows.Select(r => r.Task).Distinct().Order(StringComparer.Ordinal).ToList();
            var series = ProbeScores.OrderedSeries(rows).ToList();
            Dictionary<int, SeedValue> Values(string s, string? task) =>
                ProbeScores.BySeed(rows.Where(r => ProbeScores.SeriesOf(r) == s && (task is null || r.Task == task)), guard);
            var where = $"{key.Describe()}, layer {layer}";

            var figure = Charts.GroupedBars($"{Capitalized(key.Probe)} probes after fine-tuning ({key.Pooling} pooling, layer {layer})", "probe task", ValueAxis.Score("probe dev", key.Metric), tasks,
                [.. series.Select(s => new Series(s, [.. tasks.Select(t => Cell.Of(Values(s, t), 100))]))]);
            report.Figure(figure, key.NameIn("generalization", keys),
                $"{Capitalized(key.Describe())}: probe dev {key.Metric} per task at layer {layer}; bars: mean over seeds with 95 % CI, dots: seeds.{ProbeScores.ReferenceNote(series)}");
            report.Table(new ReportTable(key.NameIn("generalization", keys),
                $"Probe dev {key.Metric} (points; {where}), mean ± sd over seeds; last column: mean over tasks. ✗n: n seeds rest on a fine-tuning that did not learn its task.",
                ["model", .. tasks, "mean over tasks"],
                [.. series.Select(s => (IReadOnlyList<string>)[s, .. tasks.Select(t => Format.MeanSd(Values(s, t))), Format.MeanSd(Values(s, null))])]));
            report.Measure(new Measurement(new MeasurementKey(Name, MeanOverTasks, key.Probe, key.Pooling, layer, key.Metric),
                $"mean {key.Probe}-probe dev {key.Metric} over {tasks.Count} other tasks ({key.Pooling} pooling, layer {layer})", ValueUnit.Score,
                series.ToDictionary(s => s, s => (IReadOnlyDictionary<int, SeedValue>)Values(s, null))));

            foreach (var column in Beside.Where(c => c.InReport && rows.Any(r => c.Value(r) is not null)))
            {
                Dictionary<int, SeedValue> ColumnValues(string s, string? task) =>
                    ProbeScores.BySeed(rows.Where(r => ProbeScores.SeriesOf(r) == s && (task is null || r.Task == task)), guard, column.Value);
                var shown = series.Where(s => ColumnValues(s, null).Count > 0).ToList();
                report.Table(new ReportTable(key.NameIn($"generalization-{column.Name}", keys), $"{column.Caption} ({where}), mean ± sd over seeds; last column: mean over tasks. No claim is made from it (see docs/reporting.md).",
                    ["model", .. tasks, "mean over tasks"],
                    [.. shown.Select(s => (IReadOnlyList<string>)[s, .. tasks.Select(t => Format.MeanSd(ColumnValues(s, t), column.Scale, column.Decimals)), Format.MeanSd(ColumnValues(s, null), column.Scale, column.Decimals)])]));
            }

            foreach (var l in keyed.Select(r => r.Layer).Distinct().Order())
                foreach (var s in series)
                    foreach (var t in tasks)
                    {
                        var cell = keyed.Where(r => r.Layer == l && r.Task == t && ProbeScores.SeriesOf(r) == s).ToList();
                        var values = ProbeScores.BySeed(cell, guard);
                        if (values.Count > 0)
                            csv.Add(SummaryRow.Of(SummaryRow.Keys(Name, s, Name, task: t, probe: key.Probe, pooling: key.Pooling, layer: l, metric: key.Metric), values));
                        foreach (var column in Beside)
                            if (ProbeScores.BySeed(cell, guard, column.Value) is { Count: > 0 } other)
                                csv.Add(SummaryRow.Of(SummaryRow.Keys(Name, s, Name, task: t, probe: key.Probe, pooling: key.Pooling, layer: l, metric: column.Name), other));
                    }
        }
        report.Data(Name, csv);
    }

    /// <summary>
    /// What a probe row may carry beside its score, shown where the runs recorded it (<c>--controls</c>, <c>--mdl</c>):
    /// a table each (the online code length in bits only in the CSV: compression says the same per label), and rows of <c>generalization.csv</c> with the column's name as metric. Compression =
    /// uniform ÷ online code length (Voita &amp; Titov 2020): higher = a shorter code = the labels are more
    /// extractable from the features. No measurement: a claim on these would widen Holm's family of the paper's claims.
    /// </summary>
    sealed record BesideColumn(string Name, Func<ProbeRow, double?> Value, string Caption, double Scale, string Decimals, bool InReport = true);

    static readonly BesideColumn[] Beside =
    [
        new("selectivity", r => r.Selectivity, "Selectivity: probe dev score minus the control task's (points; higher = the probe reads the task, not memorises word identities)", 100, "0.0"),
        new("compression", r => r.Compression, "MDL: compression of the probe's train labels, uniform ÷ online code length (Voita & Titov 2020; higher = shorter code = more extractable, 1 = nothing learned)", 1, "0.00"),
        new("control_compression", r => r.ControlCompression, "MDL on the control labels: their compression (lower than the task's = the features hold the task, not the words)", 1, "0.00"),
        new("online_bits", r => r.OnlineBits, "MDL: online code length of the probe's train labels (bits; lower = more extractable)", 1, "0", InReport: false),
    ];

    internal static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
