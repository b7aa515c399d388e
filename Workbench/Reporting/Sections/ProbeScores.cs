using Probing.Probing.Protocols;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>The columns besides layer and task that tell probe results apart: two probes, poolings or metrics are never averaged.</summary>
public sealed record ProbeKey(string Probe, string Pooling, string Metric)
{
    /// <summary>"linear probe, mean pooling" — what a caption names.</summary>
    public string Describe() => $"{Probe} probe, {Pooling} pooling";

    /// <summary>A figure or table name: <paramref name="name"/> alone when the study has one key, else with the key appended.</summary>
    public string NameIn(string name, IReadOnlyCollection<ProbeKey> all)
    {
        if (all.Count == 1) return name;
        var parts = new List<string> { name };
        if (all.Select(k => k.Probe).Distinct().Count() > 1) parts.Add(Probe);
        if (all.Select(k => k.Pooling).Distinct().Count() > 1) parts.Add(Pooling);
        if (all.Select(k => k.Metric).Distinct().Count() > 1) parts.Add(Metric);
        return string.Join("-", parts);
    }

    public static ProbeKey Of(ProbeRow row) => new(row.Probe, row.Pooling, row.Metric);

    public static List<ProbeKey> In(IEnumerable<ProbeRow> rows) =>
        [.. rows.Select(Of).Distinct().OrderBy(k => k.Probe, StringComparer.Ordinal).ThenBy(k => k.Pooling, StringComparer.Ordinal).ThenBy(k => k.Metric, StringComparer.Ordinal)];
}

/// <summary>Shared ways of reading probe rows: who a row describes, and one value per seed with its learned-task flag.</summary>
public static class ProbeScores
{
    /// <summary>The series a row belongs to: its method, or its reference role for the base and random encoders.</summary>
    public static string SeriesOf(ProbeRow row) =>
        row.Role is ProbedModel.BaseRole or ProbedModel.RandomRole && row.StageIndex == 0 && row.Protocol == "generalization" ? row.Role
        : row.Method.Length > 0 ? row.Method : row.Model;

    /// <summary>The deepest probed layer: what a single-layer table reports.</summary>
    public static int TopLayer(IEnumerable<ProbeRow> rows) => rows.Max(r => r.Layer);

    /// <summary>
    /// Mean dev score per seed (over whatever else varies in <paramref name="rows"/>, e.g. tasks), flagged
    /// where the fine-tuned model behind a row did not learn a task it was fine-tuned on.
    /// </summary>
    public static Dictionary<int, SeedValue> BySeed(IEnumerable<ProbeRow> rows, LearnedTaskGuard guard) => BySeed(rows, guard, r => r.Dev);

    /// <summary>The same for another column of the rows (selectivity, MDL compression); rows where it is empty are left out.</summary>
    public static Dictionary<int, SeedValue> BySeed(IEnumerable<ProbeRow> rows, LearnedTaskGuard guard, Func<ProbeRow, double?> value) =>
        rows.Where(r => value(r) is not null).GroupBy(r => r.Seed).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => new SeedValue(g.Average(r => value(r)!.Value),
            [.. g.Where(r => r.Role == ProbedModel.CheckpointRole).SelectMany(r => guard.NotLearned(r.Protocol, r.Method, r.Seed, r.StageIndex)).Distinct()]));

    public static IEnumerable<string> OrderedSeries(IEnumerable<ProbeRow> rows) => MethodOrder.Sort(rows.Select(SeriesOf));

    /// <summary>The reference roles that a caption explains where they appear.</summary>
    public static string ReferenceNote(IEnumerable<string> series)
    {
        var list = series.ToList();
        var notes = new List<string>();
        if (list.Contains(ClaimBuilder.Base)) notes.Add("black: the pretrained base");
        if (list.Contains(ClaimBuilder.Random)) notes.Add("grey: a random encoder of the same shape");
        return notes.Count == 0 ? "" : " " + string.Join("; ", notes) + ".";
    }
}
