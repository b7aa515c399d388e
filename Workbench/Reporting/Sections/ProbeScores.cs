using Probing.Probing.Protocols;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>Shared ways of reading probe rows: who a row describes, and one score per seed.</summary>
public static class ProbeScores
{
    /// <summary>The series a row belongs to: its method, or its reference role for the base and random encoders.</summary>
    public static string SeriesOf(ProbeRow row) =>
        row.Role is ProbedModel.BaseRole or ProbedModel.RandomRole && row.StageIndex == 0 && row.Protocol == "generalization" ? row.Role
        : row.Method.Length > 0 ? row.Method : row.Model;

    /// <summary>The deepest probed layer: what a single-layer table reports.</summary>
    public static int TopLayer(IEnumerable<ProbeRow> rows) => rows.Max(r => r.Layer);

    /// <summary>Mean dev score per seed (over whatever else varies in <paramref name="rows"/>, e.g. tasks).</summary>
    public static Dictionary<int, double> BySeed(IEnumerable<ProbeRow> rows) =>
        rows.GroupBy(r => r.Seed).ToDictionary(g => g.Key, g => g.Average(r => r.Dev));

    public static Estimate? EstimateOf(IEnumerable<ProbeRow> rows)
    {
        var scores = BySeed(rows).Values.Select(v => 100 * v).ToList();
        return scores.Count == 0 ? null : Estimate.Of(scores);
    }

    public static IEnumerable<string> OrderedSeries(IEnumerable<ProbeRow> rows) =>
        rows.Select(SeriesOf).Distinct().OrderBy(MethodOrder.Of).ThenBy(s => s, StringComparer.Ordinal);
}
