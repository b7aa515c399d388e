using Probing.Training.Data;
using Probing.Training.Evaluation;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>
/// Fine-tuning accuracy and wall time per method over seeds (Aghajanyan et al.'s accuracy/walltime
/// comparison; Xu et al.'s accuracy and variance of self-ensemble and self-distillation).
/// </summary>
public sealed class MethodsSection : IReportSection
{
    const string Baseline = "standard";
    const string R3fPaper = "Aghajanyan et al. 2020", XuPaper = "Xu et al. 2020";

    public bool AppliesTo(StudyResults results) => results.FineTuning.Count > 0;

    public void Render(StudyResults results, Report report)
    {
        foreach (var task in results.FineTuning.GroupBy(r => r.Task))
        {
            var metric = task.First().Metric;
            var byMethod = task.GroupBy(r => r.Method).OrderBy(g => MethodOrder.Of(g.Key))
                .ToDictionary(g => g.Key, g => g.GroupBy(r => r.Seed).ToDictionary(s => s.Key, s => s.First()));
            report.Heading($"Fine-tuning on {task.Key}: {metric} and wall time per method");
            report.Table(Table(task.Key, metric, byMethod));
            WarnAtMajority(report, task.Key, byMethod);
            report.Figure(Charts.Scatter($"{task.Key}: dev {metric} against wall time (one dot per seed)", "wall time per run (s)", $"dev {metric} (%)",
                [.. byMethod.Select(m => (m.Key, (IReadOnlyList<(double, double)>)[.. m.Value.Values.Select(r => (r.WallSeconds, 100 * r.BestDev))]))]),
                $"methods-{task.Key}", $"Dev {metric} of every fine-tuning run against its wall time; crosshairs: mean with 95 % CI.");
            var spread = byMethod.Where(m => m.Value.Count >= 2).ToList();
            if (spread.Count > 0)
                report.Figure(Charts.GroupedBars($"{task.Key}: spread of dev {metric} over seeds", "standard deviation over seeds (points)", ["sd over seeds"],
                    [.. spread.Select(m => new Series(m.Key, [new Estimate(100 * Summary.Of([.. m.Value.Values.Select(r => r.BestDev)]).StandardDeviation, 0)]))]),
                    $"variance-{task.Key}", "Standard deviation of the dev score across seeds (data order and initialisation), per method.");
            AddClaims(report, task.Key, byMethod);
        }
    }

    static ReportTable Table(string task, string metric, Dictionary<string, Dictionary<int, FineTuneMetrics>> byMethod)
    {
        var rows = new List<IReadOnlyList<string>>();
        byMethod.TryGetValue(Baseline, out var baseline);
        foreach (var (method, runs) in byMethod)
        {
            var scores = runs.Values.Select(r => r.BestDev).ToList();
            var s = Summary.Of(scores);
            var wall = Summary.Of([.. runs.Values.Select(r => r.WallSeconds)]);
            var versus = method != Baseline && baseline is not null && Compare.CanCompare(runs.Count, baseline.Count)
                ? Describe(Compare.BySeed(Compare.InPoints(Scores(runs)), Compare.InPoints(Scores(baseline)))) : "–";
            rows.Add([method, $"{s.Count}", Compare.MeanSd(s), Compare.Points(s.Median), Compare.Points(s.Max), Compare.Interval(s),
                FormattableString.Invariant($"{wall.Mean:0}"), versus]);
        }
        return new ReportTable($"methods-{task}", $"Dev {metric} (points) over seeds on {task}; wall time per run; difference to `standard` with its 95 % CI and p-value.",
            ["method", "seeds", "mean ± sd", "median", "max", "95 % CI", "wall s", "vs standard"], rows);
    }

    /// <summary>
    /// Runs that score no better than always predicting train's majority label learned nothing (a
    /// diverged or stuck run); comparisons with them say nothing about their method. The baseline comes
    /// from the task data where the task can be loaded (embedded tasks, or GLUE with GLUE_DIR).
    /// </summary>
    static void WarnAtMajority(Report report, string task, Dictionary<string, Dictionary<int, FineTuneMetrics>> byMethod)
    {
        double majority;
        try { majority = TaskBaselines.Majority(TaskCatalog.Load(task, Environment.GetEnvironmentVariable("GLUE_DIR"))).Dev; }
        catch (Exception e) when (e is InputError or ArgumentException) { return; }
        foreach (var (method, runs) in byMethod)
        {
            var stuck = runs.Values.Count(r => r.BestDev <= majority + 1e-9);
            if (stuck > 0)
                report.Warn(FormattableString.Invariant($"{method} on {task}: {stuck} of {runs.Count} runs scored at or below the majority-class baseline ({100 * majority:0.0}): they learned nothing, so their comparisons say nothing about the method (try a gentler setting for it)."));
        }
    }

    static void AddClaims(Report report, string task, Dictionary<string, Dictionary<int, FineTuneMetrics>> byMethod)
    {
        void Accuracy(string paper, string method, string baseline, string claim)
        {
            if (!byMethod.TryGetValue(method, out var m) || !byMethod.TryGetValue(baseline, out var b)) return;
            if (!Compare.CanCompare(m.Count, b.Count)) return;
            report.Claim(ClaimResult.From(paper, claim, $"dev score on {task}", Compare.BySeed(Compare.InPoints(Scores(m)), Compare.InPoints(Scores(b))), higherIsClaimed: true, " pts"));
        }
        void Faster(string method, string slower)
        {
            if (!byMethod.TryGetValue(method, out var m) || !byMethod.TryGetValue(slower, out var s) || !Compare.CanCompare(m.Count, s.Count)) return;
            var comparison = Compare.BySeed(m.ToDictionary(kv => kv.Key, kv => kv.Value.WallSeconds), s.ToDictionary(kv => kv.Key, kv => kv.Value.WallSeconds));
            report.Claim(ClaimResult.From(R3fPaper, $"{method} trains faster than {slower}", $"wall time per run on {task}", comparison, higherIsClaimed: false, " s"));
        }
        Accuracy(R3fPaper, "r3f", Baseline, "R3F matches or beats standard fine-tuning");
        Accuracy(R3fPaper, "r4f", Baseline, "R4F matches or beats standard fine-tuning");
        Faster("r3f", "smart");
        Faster("r3f", "freelb");
        Accuracy(XuPaper, "self-ensemble", Baseline, "the self-ensemble beats vanilla fine-tuning");
        Accuracy(XuPaper, "sda", Baseline, "SDA beats vanilla fine-tuning");
        Accuracy(XuPaper, "sdv", Baseline, "SDV beats vanilla fine-tuning");
        foreach (var method in new[] { "sda", "sdv" })
        {
            if (!byMethod.TryGetValue(method, out var m) || !byMethod.TryGetValue(Baseline, out var b) || m.Count < 2 || b.Count < 2) continue;
            var f = VarianceRatio.Of([.. m.Values.Select(r => r.BestDev)], [.. b.Values.Select(r => r.BestDev)]);
            var verdict = f.PValue >= ClaimResult.Alpha ? Verdict.NotSignificant : f.Ratio < 1 ? Verdict.Supported : Verdict.Refuted;
            report.Claim(new ClaimResult(XuPaper, $"{method.ToUpperInvariant()} lowers the variance across seeds", $"dev score on {task}, F-test",
                verdict, FormattableString.Invariant($"variance ratio {f.Ratio:0.00} (n = {m.Count}, {b.Count}), p = {f.PValue:0.000}")));
        }
    }

    static Dictionary<int, double> Scores(Dictionary<int, FineTuneMetrics> runs) => runs.ToDictionary(kv => kv.Key, kv => kv.Value.BestDev);

    static string Describe(Comparison c) =>
        $"{Compare.Signed(c.MeanDifference)} [{Compare.Signed(c.CiLow)}, {Compare.Signed(c.CiHigh)}], p = {c.PValue.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>The order methods appear in tables and legends: references, the baseline, then the papers' methods.</summary>
public static class MethodOrder
{
    static readonly string[] Known = ["base", "random", "standard", "r3f", "r4f", "smart", "freelb", "self-ensemble", "sda", "sdv"];

    public static int Of(string method)
    {
        var index = Array.IndexOf(Known, method);
        return index >= 0 ? index : Known.Length;
    }
}
