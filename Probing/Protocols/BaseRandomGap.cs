using CsvHelper;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Training.Data;

namespace Probing.Probing.Protocols;

/// <summary>
/// One probe seed's frozen-feature score of a base and of a random encoder of its shape on one task,
/// in points. <see cref="TrainLimit"/> is the probe's train examples (null = the whole split).
/// </summary>
[CsvRecord]
public partial record GapRow(string Task, int? TrainLimit, int Seed, string Metric, double Base, double Random, double Gap, string BaseHash);

/// <summary>Mean and spread over probe seeds of one (task, train limit) cell of <see cref="GapRow"/>s.</summary>
public sealed record GapSummary(string Task, int? TrainLimit, double Base, double Random, double Gap, double GapSd, int Seeds)
{
    /// <summary>Below this mean gap (points) a probe task tells a pretrained base from random features too weakly to probe collapse on.</summary>
    public const double DiscriminatingGap = 2.0;

    public bool Discriminates => Gap >= DiscriminatingGap;

    public static IReadOnlyList<GapSummary> Of(IEnumerable<GapRow> rows) =>
        [.. rows.GroupBy(r => (r.Task, r.TrainLimit)).Select(g =>
        {
            var gaps = g.Select(r => r.Gap).ToList();
            var mean = gaps.Average();
            var sd = gaps.Count > 1 ? Math.Sqrt(gaps.Sum(x => (x - mean) * (x - mean)) / (gaps.Count - 1)) : 0;
            return new GapSummary(g.Key.Task, g.Key.TrainLimit, g.Average(r => r.Base), g.Average(r => r.Random), mean, sd, gaps.Count);
        })];
}

/// <summary>
/// Is there anything to probe? Per task and probe seed, a linear probe on the last layer of the base
/// and of a random encoder drawn from that same seed (so the spread covers both the probe's data and
/// the random features). Reuses <see cref="GeneralizationProbe"/>, so features come from the cache.
/// </summary>
public sealed class BaseRandomGap(FeatureStore store, ProbeRegistry registry, Action<string>? log = null)
{
    /// <summary>Every task and seed of <paramref name="settings"/>, at each train limit (null = the whole split), on the last layer.</summary>
    public IReadOnlyList<GapRow> Measure(IFeatureSource baseModel, IReadOnlyList<int?> trainLimits, ProbeSettings settings)
    {
        var rows = new List<GapRow>();
        var probe = new GeneralizationProbe(store, registry, log);
        var reference = ProbedModel.Reference(ProbedModel.BaseRole, baseModel);
        foreach (var task in settings.Tasks)
        {
            var data = TaskCatalog.Load(task, settings.GlueDir);
            foreach (var limit in trainLimits)
                foreach (var seed in settings.Seeds)
                {
                    var random = ProbedModel.Reference(ProbedModel.RandomRole, new RandomEncoderSource(baseModel, seed));
                    var cell = settings with { Tasks = [task], Seeds = [seed], TrainLimit = limit, Layers = LayerSelection.Parse("last"), Controls = false };
                    var (scores, _) = probe.ProbeTask(data, [reference, random], cell, null, ProbeStage.Generalization);
                    var baseScore = 100 * scores.Single(r => r.Role == ProbedModel.BaseRole).Dev;
                    var randomScore = 100 * scores.Single(r => r.Role == ProbedModel.RandomRole).Dev;
                    rows.Add(new GapRow(task, limit, seed, scores[0].Metric, baseScore, randomScore, baseScore - randomScore, baseModel.ContentHash[..12]));
                }
        }
        return rows;
    }
}
