using CsvHelper;
using Probing.Training.Data;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Reporting;

/// <summary>
/// What a model that learned nothing scores on a task's dev split (<see cref="Value"/>, in the task's
/// primary metric) and the 95 % interval of that score on <see cref="Examples"/> dev examples. A run
/// learned its task when its best dev score lies above <see cref="High"/>. The rules (docs/reporting.md):
/// accuracy — the best constant prediction, the dev majority rate m, ± 1.96 √(m(1 − m)/n);
/// F1 — always predicting the positive class, 2p/(1 + p) for a positive rate p, ± 1.96 × its delta-method
/// standard error 2/(1 + p)² √(p(1 − p)/n); Matthews, Pearson, Spearman — 0 ± 1.96/√(n − 1), the spread of
/// a correlation between unrelated variables.
/// </summary>
public sealed record NoSkillBaseline(string Task, string Metric, double Value, double Low, double High, int Examples, string Rule)
{
    const double Z = 1.959963984540054;

    public bool Learned(double score) => score > High;

    public static NoSkillBaseline For(TaskData data)
    {
        var spec = data.Spec;
        var dev = data.Dev;
        var n = dev.Count;
        var metric = spec.PrimaryMetric;
        var name = TaskScore.Name(metric);
        NoSkillBaseline Band(double value, double se, string rule) => new(spec.Name, name, value, value - Z * se, value + Z * se, n, rule);
        switch (metric)
        {
            case MetricKind.Accuracy:
                var majority = dev.GroupBy(e => e.Label).Max(g => g.Count()) / (double)n;
                return Band(majority, Math.Sqrt(majority * (1 - majority) / n), "majority class of dev");
            case MetricKind.F1:
                var p = dev.Count(e => e.Label == spec.PositiveLabel) / (double)n;
                return Band(2 * p / (1 + p), 2 / ((1 + p) * (1 + p)) * Math.Sqrt(p * (1 - p) / n), "always the positive class");
            default:
                return Band(0, 1 / Math.Sqrt(Math.Max(1, n - 1)), "no correlation");
        }
    }
}

/// <summary>A row of <c>runs.csv</c>: one fine-tuning (a run, or a protocol's stage) and whether it learned its task.</summary>
[CsvRecord]
public partial record RunRow(
    string Study, string Run, string Protocol, int StageIndex, string Method, int Seed, string Task, string Metric, double Value,
    double? NoSkill, double? NoSkillLow, double? NoSkillHigh, bool? Learned, double TrainSeconds, double? WallSeconds, int Steps);

/// <summary>
/// The learned-task guard: every fine-tuned model's own-task score, per seed, against the no-skill
/// baseline of its task. A claim that rests on a run that did not learn cannot be read as evidence
/// about the method, so <see cref="NotLearned"/> tells the claim builder which runs those are.
/// Baselines come from the task data (embedded tasks always; GLUE tasks with GLUE_DIR); a task that
/// cannot be loaded leaves its runs unchecked (<see cref="RunRow.Learned"/> empty), which the report says.
/// </summary>
public sealed class LearnedTaskGuard
{
    readonly Dictionary<(string Protocol, string Method, int Seed), List<RunRow>> byRun = [];

    public IReadOnlyList<RunRow> Runs { get; }
    public IReadOnlyList<string> UncheckedTasks { get; }

    public LearnedTaskGuard(string study, IReadOnlyList<FineTunedRun> runs, Func<string, NoSkillBaseline?> baselineOf)
    {
        var baselines = runs.Select(r => r.Task).Distinct().ToDictionary(t => t, baselineOf);
        Runs = [.. runs.Select(r =>
        {
            var b = baselines[r.Task];
            return new RunRow(study, r.Run, r.Protocol, r.StageIndex, r.Method, r.Seed, r.Task, r.Metric, r.Value,
                b?.Value, b?.Low, b?.High, b is null || b.Metric != r.Metric ? null : b.Learned(r.Value), r.TrainSeconds, r.WallSeconds, r.Steps);
        }).OrderBy(r => r.Protocol, StringComparer.Ordinal).ThenBy(r => MethodOrder.Of(r.Method)).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ThenBy(r => r.Seed).ThenBy(r => r.StageIndex)];
        UncheckedTasks = [.. Runs.Where(r => r.Learned is null).Select(r => r.Task).Distinct().Order(StringComparer.Ordinal)];
        foreach (var run in Runs)
        {
            var key = (run.Protocol, run.Method, run.Seed);
            if (!byRun.TryGetValue(key, out var list)) byRun[key] = list = [];
            list.Add(run);
        }
    }

    /// <summary>The guard with baselines from the task data, loaded once per task.</summary>
    public static LearnedTaskGuard FromTaskData(StudyResults results) =>
        new(results.Name, results.FineTunedRuns, task =>
        {
            try { return NoSkillBaseline.For(TaskCatalog.Load(task, Environment.GetEnvironmentVariable("GLUE_DIR"))); }
            catch (Exception e) when (e is InputError or ArgumentException or IOException) { return null; }
        });

    /// <summary>
    /// Why the model of (<paramref name="protocol"/>, method, seed) after stage <paramref name="throughStage"/>
    /// cannot be read as that method's: every stage up to it that did not learn its task (none when all did).
    /// <paramref name="task"/> picks the run of a finetune study that fine-tunes several tasks.
    /// </summary>
    public IReadOnlyList<RunRow> NotLearned(string protocol, string method, int seed, int throughStage, string? task = null) =>
        byRun.TryGetValue((protocol, method, seed), out var runs)
            ? [.. runs.Where(r => r.StageIndex <= throughStage && r.Learned == false && (task is null || r.Task == task))]
            : [];

    /// <summary>"qnli-proxy (chain stage 2, no-skill bound 53.1): standard seeds 1 (50.0), 2 (50.0); r4f seed 3 (50.0)" — runs grouped by what they fine-tuned.</summary>
    public static string Describe(IEnumerable<RunRow> runs) => string.Join("; ", runs
        .GroupBy(r => (r.Protocol, r.StageIndex, r.Task, r.NoSkillHigh))
        .Select(g => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{g.Key.Task} ({g.Key.Protocol}{(g.Key.Protocol == FineTunedRun.FineTuneProtocol ? "" : $" stage {g.Key.StageIndex}")}, no-skill bound {100 * g.Key.NoSkillHigh:0.0}): ")
            + string.Join(", ", g.GroupBy(r => r.Method).OrderBy(m => MethodOrder.Of(m.Key)).ThenBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key} seed{(m.Count() == 1 ? "" : "s")} "
                + string.Join(", ", m.OrderBy(r => r.Seed).Select(r => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.Seed} ({100 * r.Value:0.0})")))))));

    /// <summary>The runs that did not learn their task.</summary>
    public IEnumerable<RunRow> Failures => Runs.Where(r => r.Learned == false);
}
