using System.Globalization;
using Probing.Probing.Protocols;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>
/// Beyond the papers: where in the network fine-tuning changes the representation — layer-wise probe
/// scores (one figure per probe, pooling and metric) and linear CKA to the base per layer (one per pooling).
/// Descriptive only: no claims are made here.
/// </summary>
public sealed class DriftSection : IReportSection
{
    public const string Name = "drift";

    public bool AppliesTo(StudyResults results) =>
        results.Probes.Select(p => p.Layer).Distinct().Count() > 1 || results.Cka.Select(c => c.Layer).Distinct().Count() > 1;

    public void Render(StudyResults results, LearnedTaskGuard guard, Report report)
    {
        report.Heading("Representation drift by layer");
        var probes = results.Probes.Where(p => p.Protocol is "generalization" or "probe").ToList();
        var keys = ProbeKey.In(probes);
        foreach (var key in keys)
        {
            var rows = probes.Where(p => ProbeKey.Of(p) == key).ToList();
            var layers = rows.Select(p => p.Layer).Distinct().Order().ToList();
            if (layers.Count < 2) continue;
            var tasks = rows.Select(p => p.Task).Distinct().Count();
            var series = ProbeScores.OrderedSeries(rows).Select(s => new Series(s, [.. layers.Select(l =>
                Cell.Of(ProbeScores.BySeed(rows.Where(p => p.Layer == l && ProbeScores.SeriesOf(p) == s), guard), 100))])).ToList();
            report.Figure(Charts.Lines($"{GeneralizationSection.Capitalized(key.Probe)} probes by layer, mean of {tasks} tasks ({key.Pooling} pooling)", "layer (0 = embeddings)", ValueAxis.Score("probe dev", key.Metric),
                    [.. layers.Select(l => l.ToString(CultureInfo.InvariantCulture))], series),
                key.NameIn("layerwise-probes", keys),
                $"{GeneralizationSection.Capitalized(key.Describe())}: dev {key.Metric} at every layer, averaged over the {tasks} probe tasks; lines: mean over seeds with 95 % CI, dots: seeds.{ProbeScores.ReferenceNote(series.Select(s => s.Name))}");
        }

        var cka = results.Cka.Where(c => c.Role != ProbedModel.BaseRole && c.Protocol == "generalization").ToList();
        var poolings = cka.Select(c => c.Pooling).Distinct().Order(StringComparer.Ordinal).ToList();
        var csv = new List<SummaryRow>();
        foreach (var pooling in poolings)
        {
            var rows = cka.Where(c => c.Pooling == pooling).ToList();
            var layers = rows.Select(c => c.Layer).Distinct().Order().ToList();
            string SeriesOf(CkaRow c) => c.Role == ProbedModel.RandomRole ? ClaimBuilder.Random : c.Method;
            Dictionary<int, SeedValue> Values(IEnumerable<CkaRow> selected) =>
                selected.GroupBy(c => c.Seed ?? 0).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => new SeedValue(g.Average(c => c.Cka),
                    [.. g.Where(c => c.Role == ProbedModel.CheckpointRole && c.Seed is not null).SelectMany(c => guard.NotLearned(c.Protocol, c.Method, c.Seed!.Value, c.StageIndex)).Distinct()]));
            var methods = MethodOrder.Sort(rows.Select(SeriesOf)).ToList();
            foreach (var l in layers)
                foreach (var m in methods)
                    if (Values(rows.Where(c => c.Layer == l && SeriesOf(c) == m)) is { Count: > 0 } values)
                        csv.Add(SummaryRow.Of(SummaryRow.Keys(Name, m, "generalization", pooling: pooling, layer: l, metric: "linear_cka"), values));
            if (layers.Count < 2) continue;   // one layer is a table's job, not a curve's
            var series = methods.Select(m => new Series(m, [.. layers.Select(l => Cell.Of(Values(rows.Where(c => c.Layer == l && SeriesOf(c) == m))))])).ToList();
            report.Figure(Charts.Lines($"Linear CKA to the base by layer ({pooling} pooling)", "layer (0 = embeddings)", new ValueAxis("linear CKA with the base", 0, 1),
                    [.. layers.Select(l => l.ToString(CultureInfo.InvariantCulture))], series),
                poolings.Count == 1 ? "cka" : $"cka-{pooling}",
                $"Linear CKA between each model's and the base's {pooling}-pooled features on the probe tasks' dev inputs (1 = unchanged), mean over tasks; lines: mean over seeds with 95 % CI, dots: seeds.");
        }
        if (csv.Count > 0) report.Data("cka", csv);
    }
}
