using System.Globalization;
using System.Text;
using Probing.Probing.Protocols;
using Probing.Training.Pretraining;
using Probing.Workbench.Commands;
using ScottPlot;

namespace Probing.Workbench.Reporting;

/// <summary>docs/base-encoder.md: the scaling table of <c>workbench scaling</c>, from finished cells only.</summary>
public static class BaseEncoderReport
{
    /// <summary>The issue's goals: masked-token accuracy ≥ 3× unigram, and ≥ 10 pts base − random on ≥ 3 tasks.</summary>
    const double RatioGoal = 3.0, GapGoal = 10.0;
    const int GapGoalTasks = 3;

    public static string Markdown(IReadOnlyList<ScalingCell> cells, IReadOnlyList<ScalingResult?> results, GapSettings gaps)
    {
        var text = new StringBuilder();
        string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        text.AppendLine("# The base encoder: what pretraining buys");
        text.AppendLine();
        text.AppendLine("Written by `workbench scaling` (resumable; `--report-only` rewrites this file from the finished cells). Each cell pretrains one");
        text.AppendLine("encoder size for one CPU budget with masked LM on the embedded corpus (32 × 128-token batches, its own full");
        text.AppendLine("learning-rate schedule; the budget is turned into steps at the size's measured step time on a 2-core machine,");
        text.AppendLine("`ScalingGrid`), then scores it on the held-out corpus and probes it frozen: a linear probe on the mean-pooled last layer");
        text.AppendLine(F($"of the base minus the same probe on a randomly initialised encoder of the same shape, on every embedded task, dev score in points, mean ± sd over probe seeds {string.Join(", ", gaps.Seeds)} (each seed also draws its own random encoder)."));
        text.AppendLine();
        text.AppendLine("Training time is measured on 2 threads unless marked; a cell run on other threads (or resumed on other threads) does the same steps, only at another speed.");
        text.AppendLine();
        text.AppendLine("| size | parameters | budget | steps | training time | masked-token accuracy | unigram | ratio | mean gap, all train | mean gap, 256 train | tasks ≥ 10 pts (256) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            var head = F($"| {cell.Size.Name} | ");
            if (results[i] is not { } r)
            {
                text.AppendLine(head + F($"| {cell.BudgetMinutes} min | {cell.Steps:N0} | not run | | | | | | |"));
                continue;
            }
            var e = r.Pretraining.Evaluation;
            text.AppendLine(head + F($"{ScalingResult.Millions(r.Parameters)} | {cell.BudgetMinutes} min | {cell.Steps:N0} | {r.Pretraining.TrainSeconds / 60:0} min{ThreadsNote(r.Threads)} | {100 * e.MaskedAccuracy:0.0} % | {100 * e.UnigramAccuracy:0.0} % | {e.MaskedAccuracy / e.UnigramAccuracy:0.00}× | {MeanGap(r, null)} | {MeanGap(r, 256)} | {StrongTasks(r, 256)} |"));
        }
        text.AppendLine();
        text.AppendLine("Where more CPU stops paying, one line per size (budgets are roughly log-spaced; the gap is the mean over tasks and probe seeds):");
        text.AppendLine();
        foreach (var name in CurveNames(gaps)) text.AppendLine($"![{name}]({name}.png)");
        text.AppendLine();
        foreach (var limit in gaps.TrainLimits) AppendGapTable(text, cells, results, limit);
        AppendGoals(text, cells, results, gaps.TrainLimits);
        return text.ToString();
    }

    /// <summary>The table's columns as curves over the budget: masked-token accuracy ÷ unigram, and the mean gap per probe setting.</summary>
    public static IReadOnlyList<(string Name, Plot Plot)> Curves(IReadOnlyList<ScalingCell> cells, IReadOnlyList<ScalingResult?> results, GapSettings gaps)
    {
        const string budget = "pretraining budget (2-core CPU)";
        var ratio = Charts.Lines("Masked-token accuracy over the unigram baseline", budget, ValueAxis.NonNegative("ratio to unigram (×)"),
            BudgetLabels(cells), CurveSeries(cells, results, r => r.Pretraining.Evaluation.MaskedAccuracy / r.Pretraining.Evaluation.UnigramAccuracy)).Plot;
        Charts.ReferenceLine(ratio, RatioGoal, $"goal {RatioGoal:0}×");
        List<(string, Plot)> curves = [(RatioCurve, ratio)];
        foreach (var limit in gaps.TrainLimits)
        {
            var gap = Charts.Lines($"Base − random probe gap, {GapSettings.LimitText(limit)} train examples", budget, new ValueAxis("mean gap (points)"),
                BudgetLabels(cells), CurveSeries(cells, results, r => MeanGapValue(r, limit))).Plot;
            curves.Add((GapCurve(limit), gap));
        }
        return curves;
    }

    const string RatioCurve = "base-encoder-mlm";
    static string GapCurve(int? limit) => $"base-encoder-gap-{GapSettings.LimitText(limit)}";
    static IEnumerable<string> CurveNames(GapSettings gaps) => [RatioCurve, .. gaps.TrainLimits.Select(GapCurve)];

    static List<int> Budgets(IReadOnlyList<ScalingCell> cells) => [.. cells.Select(c => c.BudgetMinutes).Distinct().Order()];

    static List<string> BudgetLabels(IReadOnlyList<ScalingCell> cells) => [.. Budgets(cells).Select(m => $"{m} min")];

    /// <summary>One series per size over the budgets in ascending order; a cell not run (or without that value) is a gap in its line.</summary>
    public static IReadOnlyList<Series> CurveSeries(IReadOnlyList<ScalingCell> cells, IReadOnlyList<ScalingResult?> results, Func<ScalingResult, double?> value)
    {
        var finished = cells.Zip(results).Where(x => x.Second is not null).ToDictionary(x => (x.First.Size.Name, x.First.BudgetMinutes), x => x.Second!);
        return [.. cells.Select(c => c.Size.Name).Distinct().Select(size => new Series(size, [.. Budgets(cells).Select(minutes =>
            finished.TryGetValue((size, minutes), out var r) && value(r) is { } v ? new Cell([new SeedPoint(0, v)]) : null)]))];
    }

    static double? MeanGapValue(ScalingResult r, int? limit)
    {
        var cells = r.Gaps.Where(g => g.TrainLimit == limit).ToList();
        return cells.Count == 0 ? null : cells.Average(g => g.Gap);
    }

    /// <summary>Nothing for 2 threads throughout (or unknown); else " (1 thread)", or " (1, then 2 threads)" for a cell resumed on other threads.</summary>
    public static string ThreadsNote(IReadOnlyList<int>? threads) =>
        threads is null or [2] ? "" : $" ({string.Join(", then ", threads)} thread{(threads[^1] == 1 ? "" : "s")})";

    static string MeanGap(ScalingResult r, int? limit) => MeanGapValue(r, limit) is { } gap ? Format.Signed(gap) : "-";

    static int StrongTasks(ScalingResult r, int? limit) => r.Gaps.Count(g => g.TrainLimit == limit && g.Gap >= GapGoal);

    static void AppendGapTable(StringBuilder text, IReadOnlyList<ScalingCell> cells, IReadOnlyList<ScalingResult?> results, int? limit)
    {
        var done = cells.Select((c, i) => (Cell: c, Result: results[i])).Where(x => x.Result is { Gaps.Count: > 0 }).ToList();
        if (done.Count == 0) return;
        text.AppendLine($"## Base − random per task, {GapSettings.LimitText(limit)} train examples (points)");
        text.AppendLine();
        text.AppendLine("| task | " + string.Join(" | ", done.Select(d => d.Cell.Name)) + " |");
        text.AppendLine("|---|" + string.Concat(done.Select(_ => "---|")));
        foreach (var task in done.SelectMany(d => d.Result!.Gaps).Select(g => g.Task).Distinct())
            text.AppendLine($"| {task} | " + string.Join(" | ", done.Select(d =>
                d.Result!.Gaps.FirstOrDefault(g => g.Task == task && g.TrainLimit == limit) is { } g
                    ? FormattableString.Invariant($"{Format.Signed(g.Gap)} ± {g.GapSd:0.0}") + (g.Discriminates ? "" : " ✗")
                    : "-")) + " |");
        text.AppendLine();
        text.AppendLine($"✗: under {GapSummary.DiscriminatingGap:0} pts, the bar below which `workbench tasks` marks a task and the default probe leaves it out.");
        text.AppendLine();
    }

    static void AppendGoals(StringBuilder text, IReadOnlyList<ScalingCell> cells, IReadOnlyList<ScalingResult?> results, IReadOnlyList<int?> trainLimits)
    {
        text.AppendLine("## Goals");
        text.AppendLine();
        var done = cells.Select((c, i) => (Cell: c, Result: results[i])).Where(x => x.Result is not null).ToList();
        var ratio = done.Where(d => d.Result!.Pretraining.Evaluation.MaskedAccuracy >= RatioGoal * d.Result.Pretraining.Evaluation.UnigramAccuracy).Select(d => d.Cell.Name).ToList();
        var gap = done.Where(d => trainLimits.Any(l => StrongTasks(d.Result!, l) >= GapGoalTasks)).Select(d => d.Cell.Name).ToList();
        text.AppendLine($"- Masked-token accuracy ≥ {RatioGoal:0}× the unigram baseline: " + (ratio.Count > 0 ? $"met by {string.Join(", ", ratio)}." : "met by no finished cell."));
        text.AppendLine($"- Base − random ≥ {GapGoal:0} pts on at least {GapGoalTasks} tasks (in either probe setting): " + (gap.Count > 0 ? $"met by {string.Join(", ", gap)}." : "met by no finished cell."));
        text.AppendLine($"- Shipped base ([data/base](../data/base/README.md), `workbench pretrain --preset base`): {ScalingGrid.ShippedBase.Name}.");
        var pending = cells.Select((c, i) => (Cell: c, Result: results[i])).Where(x => x.Result is null).ToList();
        if (pending.Count > 0)
            text.AppendLine(FormattableString.Invariant($"- Not run yet: {string.Join(", ", pending.Select(p => p.Cell.Name))} ({pending.Sum(p => p.Cell.BudgetMinutes) / 60.0:0.#} h of 2-core CPU in all; `workbench scaling` resumes where it stopped)."));
        text.AppendLine();
    }
}
