using Probing.Probing.Protocols;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>What the chain and retention sections share: stage labels, per-seed values and the tidy rows of every probe.</summary>
static class Staged
{
    /// <summary>"base", then the task fine-tuned at each stage (with its index when tasks repeat, as in retention).</summary>
    public static List<string> StageLabels(IReadOnlyList<ProbeRow> rows)
    {
        var byIndex = rows.GroupBy(r => r.StageIndex).OrderBy(g => g.Key).Select(g => (g.Key, g.First().Stage)).ToList();
        var repeats = byIndex.GroupBy(s => s.Stage).Any(g => g.Count() > 1);
        return [.. byIndex.Select(s => s.Key == 0 ? "base" : repeats ? FormattableString.Invariant($"{s.Key}:{s.Stage}") : s.Stage)];
    }

    public static List<int> StageIndices(IReadOnlyList<ProbeRow> rows) => [.. rows.Select(r => r.StageIndex).Distinct().Order()];

    /// <summary>Every (layer, stage, task, method) of a protocol's probes as summary rows.</summary>
    public static IEnumerable<SummaryRow> Rows(string section, IReadOnlyList<ProbeRow> rows, LearnedTaskGuard guard) =>
        from g in rows.GroupBy(r => (r.Probe, r.Pooling, r.Layer, r.StageIndex, r.Stage, r.Task, r.Metric, r.Method))
        orderby g.Key.Probe, g.Key.Pooling, g.Key.Layer, g.Key.StageIndex, g.Key.Task, MethodOrder.Of(g.Key.Method), g.Key.Method
        select SummaryRow.Of(SummaryRow.Keys(section, g.Key.Method, section, g.Key.StageIndex, g.Key.Stage, g.Key.Task, g.Key.Probe, g.Key.Pooling, g.Key.Layer, g.Key.Metric),
            ProbeScores.BySeed(g, guard));

    /// <summary>The base's values per seed: stage 0 of every method's run probes the same base with the same seed, so they agree.</summary>
    public static Dictionary<int, SeedValue> Base(IEnumerable<ProbeRow> stageZero) =>
        stageZero.GroupBy(r => r.Seed).OrderBy(g => g.Key).ToDictionary(g => g.Key,
            g => new SeedValue(g.GroupBy(r => r.Method).Select(m => m.Average(r => r.Dev)).Average()));
}

/// <summary>
/// The degradation chain (Aghajanyan et al.): after each sequential fine-tuning stage, how well a frozen
/// probe still reads the first task. Measurement: the first task's probe score after the last stage,
/// every method against standard and against the base (stage 0).
/// </summary>
public sealed class ChainSection : IReportSection
{
    public const string Name = "chain", FirstTaskAfterLastStage = "first-task-probe-after-last-stage";

    public bool AppliesTo(StudyResults results) => results.Probes.Any(p => p.Protocol == Name);

    public void Render(StudyResults results, LearnedTaskGuard guard, Report report)
    {
        var all = results.Probes.Where(p => p.Protocol == Name).ToList();
        var firstTask = all.Where(r => r.StageIndex == 0).Select(r => r.Task).FirstOrDefault() ?? all.OrderBy(r => r.StageIndex).First().Stage;
        var first = all.Where(r => r.Task == firstTask).ToList();
        var keys = ProbeKey.In(first);
        report.Heading($"Degradation chain: {string.Join(" → ", Staged.StageLabels(all).Skip(1))}");
        foreach (var key in keys)
        {
            var keyed = first.Where(r => ProbeKey.Of(r) == key).ToList();
            var layer = ProbeScores.TopLayer(keyed);
            var rows = keyed.Where(r => r.Layer == layer).ToList();
            var stages = Staged.StageLabels(rows);
            var indices = Staged.StageIndices(rows);
            var methods = MethodOrder.Sort(rows.Select(r => r.Method)).ToList();
            Dictionary<int, SeedValue> Values(string m, int index) => ProbeScores.BySeed(rows.Where(r => r.Method == m && r.StageIndex == index), guard);
            var where = $"{key.Describe()}, layer {layer}";

            report.Figure(Charts.Lines($"{firstTask} along the chain ({key.Probe} probe, {key.Pooling} pooling)", "stage (task fine-tuned last)", ValueAxis.Score($"{firstTask} probe dev", key.Metric), stages,
                    [.. methods.Select(m => new Series(m, [.. indices.Select(i => Cell.Of(Values(m, i), 100))]))]),
                key.NameIn(Name, keys),
                $"{GeneralizationSection.Capitalized(key.Describe())} of the first task ({firstTask}) at layer {layer} after each stage; lines: mean over seeds with 95 % CI, dots: seeds.");
            report.Table(new ReportTable(key.NameIn(Name, keys),
                $"{firstTask} probe dev {key.Metric} (points; {where}) after each stage, mean ± sd over seeds; ✗n: n seeds rest on a stage that did not learn its task.",
                ["method", .. stages], [.. methods.Select(m => (IReadOnlyList<string>)[m, .. indices.Select(i => Format.MeanSd(Values(m, i)))])]));

            var last = indices[^1];
            var series = methods.ToDictionary(m => m, m => (IReadOnlyDictionary<int, SeedValue>)Values(m, last));
            if (indices[0] == 0) series[ClaimBuilder.Base] = Staged.Base(rows.Where(r => r.StageIndex == 0));
            report.Measure(new Measurement(new MeasurementKey(Name, FirstTaskAfterLastStage, key.Probe, key.Pooling, layer, key.Metric, firstTask),
                $"{key.Probe}-probe dev {key.Metric} of {firstTask} after the last stage ({key.Pooling} pooling, layer {layer})", ValueUnit.Score, series));
        }
        report.Data(Name, Staged.Rows(Name, all, guard));
    }
}

/// <summary>
/// Retention cycles: every task's probe score after every stage, as the tasks come round again.
/// Measurement: the mean probe score over the tasks after the last stage, against standard and the base.
/// </summary>
public sealed class RetentionSection : IReportSection
{
    public const string Name = "retention", MeanOverTasksAfterLastStage = "probe-mean-over-tasks-after-last-stage";

    public bool AppliesTo(StudyResults results) => results.Probes.Any(p => p.Protocol == Name);

    public void Render(StudyResults results, LearnedTaskGuard guard, Report report)
    {
        var all = results.Probes.Where(p => p.Protocol == Name).ToList();
        var keys = ProbeKey.In(all);
        report.Heading("Retention cycles");
        foreach (var key in keys)
        {
            var keyed = all.Where(r => ProbeKey.Of(r) == key).ToList();
            var layer = ProbeScores.TopLayer(keyed);
            var rows = keyed.Where(r => r.Layer == layer).ToList();
            var stages = Staged.StageLabels(rows);
            var indices = Staged.StageIndices(rows);
            var methods = MethodOrder.Sort(rows.Select(r => r.Method)).ToList();
            var tasks = rows.Select(r => r.Task).Distinct().Order(StringComparer.Ordinal).ToList();
            Dictionary<int, SeedValue> Values(string m, int index, string? task) =>
                ProbeScores.BySeed(rows.Where(r => r.Method == m && r.StageIndex == index && (task is null || r.Task == task)), guard);
            var where = $"{key.Describe()}, layer {layer}";
            foreach (var task in tasks)
                report.Figure(Charts.Lines($"Retention of {task} ({key.Probe} probe, {key.Pooling} pooling)", "stage (index:task fine-tuned)", ValueAxis.Score($"{task} probe dev", key.Metric), stages,
                        [.. methods.Select(m => new Series(m, [.. indices.Select(i => Cell.Of(Values(m, i, task), 100))]))]),
                    key.NameIn($"{Name}-{task}", keys),
                    $"{GeneralizationSection.Capitalized(key.Describe())} of {task} at layer {layer} after every stage of the cycles; lines: mean over seeds with 95 % CI, dots: seeds.");
            report.Table(new ReportTable(key.NameIn(Name, keys), $"Probe dev {key.Metric} (points; {where}) of every task after every stage, mean ± sd over seeds.",
                ["method", "task", .. stages],
                [.. from m in methods from t in tasks select (IReadOnlyList<string>)[m, t, .. indices.Select(i => Format.MeanSd(Values(m, i, t)))]]));

            var last = indices[^1];
            var series = methods.ToDictionary(m => m, m => (IReadOnlyDictionary<int, SeedValue>)Values(m, last, null));
            if (indices[0] == 0) series[ClaimBuilder.Base] = Staged.Base(rows.Where(r => r.StageIndex == 0));
            report.Measure(new Measurement(new MeasurementKey(Name, MeanOverTasksAfterLastStage, key.Probe, key.Pooling, layer, key.Metric),
                $"mean {key.Probe}-probe dev {key.Metric} over {tasks.Count} tasks after the last stage ({key.Pooling} pooling, layer {layer})", ValueUnit.Score, series));
        }
        report.Data(Name, Staged.Rows(Name, all, guard));
    }
}
