using Probing.Probing.Protocols;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>
/// Beyond the papers: where in the network fine-tuning changes the representation — layer-wise probe
/// scores and linear CKA to the base per layer, per method.
/// </summary>
public sealed class DriftSection : IReportSection
{
    public bool AppliesTo(StudyResults results) =>
        results.Probes.Select(p => p.Layer).Distinct().Count() > 1 || results.Cka.Select(c => c.Layer).Distinct().Count() > 1;

    public void Render(StudyResults results, Report report)
    {
        report.Heading("Representation drift by layer");
        var probes = results.Probes.Where(p => p.Protocol == "generalization" || p.Protocol == "probe").ToList();
        if (probes.Select(p => p.Layer).Distinct().Count() > 1)
        {
            var layers = probes.Select(p => p.Layer).Distinct().Order().ToList();
            var series = ProbeScores.OrderedSeries(probes).Select(s => new Series(s, [.. layers.Select(l =>
                ProbeScores.EstimateOf(probes.Where(p => p.Layer == l && ProbeScores.SeriesOf(p) == s)))])).ToList();
            report.Figure(Charts.Lines("Probe score by layer (mean over probe tasks)", "layer (0 = embeddings)", "probe dev score (%)",
                [.. layers.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))], series),
                "layerwise-probes", "Linear-probe dev score at every layer, averaged over the probe tasks; mean over seeds with 95 % CI.");
        }
        var cka = results.Cka.Where(c => c.Role != ProbedModel.BaseRole && c.Protocol == "generalization").ToList();
        if (cka.Select(c => c.Layer).Distinct().Count() > 1)   // one layer is a table's job, not a curve's
        {
            var layers = cka.Select(c => c.Layer).Distinct().Order().ToList();
            var methods = cka.Select(c => c.Role == ProbedModel.RandomRole ? "random" : c.Method).Distinct().OrderBy(MethodOrder.Of).ToList();
            var series = methods.Select(m => new Series(m, [.. layers.Select(l =>
            {
                var values = cka.Where(c => c.Layer == l && (c.Role == ProbedModel.RandomRole ? "random" : c.Method) == m)
                    .GroupBy(c => c.Seed).Select(g => g.Average(c => c.Cka)).ToList();
                return values.Count == 0 ? (Estimate?)null : Estimate.Of(values);
            })])).ToList();
            var plot = Charts.Lines("Linear CKA to the pretrained base by layer", "layer (0 = embeddings)", "linear CKA with the base",
                [.. layers.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))], series);
            plot.Axes.SetLimitsY(0, 1.05);   // CKA lives in [0, 1]
            report.Figure(plot,
                "cka", "Linear CKA between each model's and the base's features on the probe tasks' dev inputs (1 = unchanged), mean over tasks and seeds with 95 % CI.");
        }
    }
}
