using System.Globalization;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>
/// The learned-task guard, shown: every fine-tuned model's own-task dev score per seed against the
/// no-skill baseline of its task with that baseline's 95 % interval; <c>runs.csv</c> (one row per
/// fine-tuning, with <c>learned</c>); a warning naming every run that did not learn. Claims resting on
/// those runs are "not interpretable" (<see cref="VerdictRules"/>).
/// </summary>
public sealed class LearnedTaskSection : IReportSection
{
    public const string Name = "learned-task";

    public bool AppliesTo(StudyResults results) => results.FineTunedRuns.Count > 0;

    public void Render(StudyResults results, LearnedTaskGuard guard, Report report)
    {
        report.Data("runs", guard.Runs);
        report.Heading("Did every fine-tuning learn its own task?");
        var groups = guard.Runs.GroupBy(r => (r.Protocol, r.StageIndex, r.Task, r.Metric)).OrderBy(g => g.Key.Protocol, StringComparer.Ordinal).ThenBy(g => g.Key.StageIndex).ToList();
        var rows = new List<IReadOnlyList<string>>();
        var csv = new List<SummaryRow>();
        foreach (var group in groups)
            foreach (var method in MethodOrder.Sort(group.Select(r => r.Method)))
            {
                // One entry per seed: runs of identical configs (the same fine-tuning under two probes) count once.
                var runs = group.Where(r => r.Method == method).GroupBy(r => r.Seed).Select(g => g.First()).ToList();
                var values = Values(runs);
                var first = runs[0];
                var checkedRuns = runs.Count(r => r.Learned is not null);
                rows.Add([group.Key.Protocol, StageLabel(first), method, $"{runs.Count}", Format.MeanSd(values),
                    first.NoSkill is { } b ? FormattableString.Invariant($"{100 * b:0.0} [{100 * first.NoSkillLow:0.0}, {100 * first.NoSkillHigh:0.0}]") : "unknown",
                    checkedRuns == 0 ? "unchecked" : $"{runs.Count(r => r.Learned == true)} of {checkedRuns}"]);
                csv.Add(SummaryRow.Of(SummaryRow.Keys(Name, method, group.Key.Protocol, group.Key.StageIndex, group.Key.Task, group.Key.Task, metric: group.Key.Metric), values));
            }
        report.Table(new ReportTable(Name,
            "Each fine-tuning's best dev score on its own task (points), mean ± sd over seeds, against the no-skill baseline with its 95 % interval "
            + $"(accuracy: the dev majority class; F1: always the positive class; correlations: 0; ROUGE: lead-{Training.Evaluation.SummaryBaselines.LeadWords}, each document's first {Training.Evaluation.SummaryBaselines.LeadWords} words, on the dev documents the run evaluated). "
            + "A run learned its task when it scored above the interval's upper end.",
            ["protocol", "stage", "method", "seeds", "dev score", "no-skill [95 % CI]", "learned"], rows));
        report.Data(Name, csv);

        foreach (var protocol in groups.GroupBy(g => (g.Key.Protocol, g.Key.Metric)))
        {
            var stages = protocol.ToList();
            var methods = MethodOrder.Sort(stages.SelectMany(g => g.Select(r => r.Method))).ToList();
            var figure = Charts.GroupedBars($"Own-task dev score of every fine-tuning ({protocol.Key.Protocol})", "stage (task fine-tuned)",
                ValueAxis.Score("dev", protocol.Key.Metric), [.. stages.Select(g => StageLabel(g.First()))],
                [.. methods.Select(m => new Series(m, [.. stages.Select(g => Cell.Of(Values([.. g.Where(r => r.Method == m)]), 100))]))]);
            var labelled = false;
            for (int c = 0; c < stages.Count; c++)
                if (stages[c].First() is { NoSkillLow: { } low, NoSkillHigh: { } high })
                {
                    Charts.Band(figure, c - 0.45, c + 0.45, 100 * low, 100 * high, labelled ? null : "no-skill baseline, 95 % CI");
                    labelled = true;
                }
            var name = groups.Select(g => (g.Key.Protocol, g.Key.Metric)).Distinct().Count() == 1 ? Name : $"{Name}-{protocol.Key.Protocol}-{protocol.Key.Metric}";
            report.Figure(figure, name,
                $"Best dev {protocol.Key.Metric} of every fine-tuning on its own task ({protocol.Key.Protocol}); bars: mean over seeds with 95 % CI, dots: seeds; grey band: the no-skill baseline's 95 % interval.");
        }

        foreach (var failed in guard.Failures.GroupBy(r => (r.Protocol, r.StageIndex, r.Task, r.Method)))
        {
            var all = guard.Runs.Count(r => (r.Protocol, r.StageIndex, r.Task, r.Method) == failed.Key);
            var first = failed.First();
            var seeds = string.Join(", ", failed.Select(r => FormattableString.Invariant($"{r.Seed}: {100 * r.Value:0.0}")));
            report.Warn(string.Create(CultureInfo.InvariantCulture,
                $"{failed.Key.Method} on {failed.Key.Task} ({StageLabel(first)} of {failed.Key.Protocol}): {failed.Count()} of {all} runs did not learn their task (seed {seeds}; no-skill upper bound {100 * first.NoSkillHigh:0.0}); claims resting on them are not interpretable."));
        }
        if (guard.UncheckedTasks.Count > 0)
            report.Warn($"no no-skill baseline for {string.Join(", ", guard.UncheckedTasks)} (a task whose data could not be loaded: set GLUE_DIR for GLUE tasks; a summarization task given as a folder must still be at the path its runs recorded): whether those runs learned their task is unchecked.");
    }

    static Dictionary<int, SeedValue> Values(IReadOnlyList<RunRow> runs) =>
        runs.GroupBy(r => r.Seed).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => new SeedValue(g.First().Value, g.First().Learned == false ? [g.First()] : []));

    static string StageLabel(RunRow run) =>
        run.Protocol == FineTunedRun.FineTuneProtocol ? run.Task : string.Create(CultureInfo.InvariantCulture, $"{run.StageIndex}:{run.Task}");
}
