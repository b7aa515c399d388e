using CsvHelper;
using Probing.Training.Data;
using Probing.Training.Data.Summarization;
using Probing.Training.Evaluation;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Reporting;

/// <summary>
/// What a model that learned nothing scores on a task's dev split (<see cref="Value"/>, in the task's
/// primary metric) and the 95 % interval of that score on <see cref="Examples"/> dev examples. A run
/// learned its task when its best dev score lies above <see cref="High"/>. The rules (docs/reporting.md):
/// accuracy — the best constant prediction, the dev majority rate m, ± 1.96 √(m(1 − m)/n);
/// F1 — always predicting the positive class, 2p/(1 + p) for a positive rate p, ± 1.96 × its delta-method
/// standard error 2/(1 + p)² √(p(1 − p)/n); Matthews, Pearson, Spearman — 0 ± 1.96/√(n − 1), the spread of
/// a correlation between unrelated variables; ROUGE (summarization) — the lead baseline, <see cref="Lead"/>.
/// </summary>
public sealed record NoSkillBaseline(string Task, string Metric, double Value, double Low, double High, int Examples, string Rule)
{
    const double Z = 1.959963984540054;

    public bool Learned(double score) => score > High;

    /// <summary>
    /// The summarization bar: lead-k (<see cref="SummaryBaselines.Lead"/>, each document's first k words, no
    /// model at all) scored on <paramref name="documents"/> — the dev documents the run evaluated — in the
    /// ROUGE variant <paramref name="metric"/> (the run's selection metric, e.g. <c>rougeL</c>), with the
    /// same percentile-bootstrap interval over documents as the run's own scores. Null for a metric that is not a ROUGE variant.
    /// </summary>
    public static NoSkillBaseline? Lead(string task, IReadOnlyList<SummaryExample> documents, string metric, int words = SummaryBaselines.LeadWords)
    {
        if (documents.Count == 0 || !CorpusRouge.Types.Any(t => CorpusRouge.Name(t) == metric)) return null;
        var f1 = SummaryBaselines.LeadRouge(documents, words)[CorpusRouge.Types.First(t => CorpusRouge.Name(t) == metric)].F1;
        return new(task, metric, f1.Mean, f1.Low, f1.High, documents.Count,
            $"lead-{words} (each document's first {words} words) on the {documents.Count} dev documents the run evaluated, 95 % bootstrap interval");
    }

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

    /// <param name="baselineOf">The no-skill baseline of a run's task, asked once per (task, metric, dev examples evaluated).</param>
    public LearnedTaskGuard(string study, IReadOnlyList<FineTunedRun> runs, Func<FineTunedRun, NoSkillBaseline?> baselineOf)
    {
        var baselines = new Dictionary<(string, string, int?), NoSkillBaseline?>();
        Runs = [.. runs.Select(r =>
        {
            var key = (r.Task, r.Metric, r.DevExamples);
            if (!baselines.TryGetValue(key, out var b)) baselines[key] = b = baselineOf(r);
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

    /// <summary>
    /// The guard with baselines from the task data, loaded once per task: classification tasks from
    /// <see cref="TaskCatalog"/>, summarization tasks (<see cref="SummarizationCatalog"/>) with the lead baseline
    /// on the dev documents each run evaluated.
    /// </summary>
    public static LearnedTaskGuard FromTaskData(StudyResults results)
    {
        var summaries = new Dictionary<string, SummarizationTask?>();
        return new(results.Name, results.FineTunedRuns, run =>
        {
            try
            {
                if (!SummarizationCatalog.IsSummarization(run.Task))
                    return NoSkillBaseline.For(TaskCatalog.Load(run.Task, Environment.GetEnvironmentVariable("GLUE_DIR")));
                if (!summaries.TryGetValue(run.Task, out var task)) summaries[run.Task] = task = SummarizationCatalog.Load(run.Task);
                var dev = run.DevExamples is > 0 and var n ? [.. task!.Dev.Take(n)] : task!.Dev;
                return NoSkillBaseline.Lead(run.Task, dev, run.Metric);
            }
            catch (Exception e) when (e is InputError or ArgumentException or IOException) { return null; }
        });
    }

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
