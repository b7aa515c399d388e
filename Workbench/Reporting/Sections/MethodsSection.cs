using System.Globalization;

namespace Probing.Workbench.Reporting.Sections;

/// <summary>
/// Fine-tuning runs (<c>finetune</c>) per task: dev score and wall time of every method over seeds
/// (Aghajanyan et al.'s accuracy and wall-time comparison; Xu et al.'s accuracy and spread across seeds).
/// Measurements: the dev score (compared as a mean and as a variance) and the wall time.
/// </summary>
public sealed class MethodsSection : IReportSection
{
    public const string Name = "methods", DevScore = "dev-score", WallSeconds = "wall-seconds";

    public bool AppliesTo(StudyResults results) => results.FineTuning.Count > 0;

    public void Render(StudyResults results, LearnedTaskGuard guard, Report report)
    {
        var csv = new List<SummaryRow>();
        foreach (var task in results.FineTuning.GroupBy(r => r.Task).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var metric = task.First().Metric;
            var methods = MethodOrder.Sort(task.Select(r => r.Method)).ToList();
            var runs = methods.ToDictionary(m => m, m => task.Where(r => r.Method == m).GroupBy(r => r.Seed).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.First()));
            var scores = methods.ToDictionary(m => m, m => (IReadOnlyDictionary<int, SeedValue>)runs[m].ToDictionary(kv => kv.Key,
                kv => new SeedValue(kv.Value.BestDev, guard.NotLearned(FineTunedRun.FineTuneProtocol, m, kv.Key, 1, task.Key))));
            var wall = methods.ToDictionary(m => m, m => (IReadOnlyDictionary<int, SeedValue>)runs[m].ToDictionary(kv => kv.Key, kv => new SeedValue(kv.Value.WallSeconds)));

            report.Heading($"Fine-tuning on {task.Key}: {metric} and wall time per method");
            report.Table(new ReportTable($"{Name}-{task.Key}",
                $"Best dev {metric} on {task.Key} (points) over seeds, and wall time per run (the paper's table gives the median and the slowest run); ✗n: n runs did not learn the task.",
                ["method", "seeds", "mean ± sd", "median", "min", "max", "95 % CI", "wall s (mean ± sd)", "wall s median", "wall s max"],
                [.. methods.Select(m =>
                {
                    var s = Summary.Of([.. scores[m].Values.Select(v => v.Value)]);
                    var w = Summary.Of([.. wall[m].Values.Select(v => v.Value)]);
                    return (IReadOnlyList<string>)[m, $"{s.Count}", Format.MeanSd(scores[m]), Format.Points(s.Median), Format.Points(s.Min), Format.Points(s.Max),
                        s.Count > 1 ? $"[{Format.Points(s.CiLow)}, {Format.Points(s.CiHigh)}]" : "–", Format.MeanSd(wall[m], 1, "0.0"),
                        w.Median.ToString("0.0", CultureInfo.InvariantCulture), w.Max.ToString("0.0", CultureInfo.InvariantCulture)];
                })]));
            OtherScores(task.Key, metric, methods, runs, scores, report, csv);
            report.Figure(Charts.Scatter($"{task.Key}: dev {metric} against wall time (one point per run)", ValueAxis.NonNegative("wall time per run (s)"),
                    ValueAxis.Score("dev", metric),
                    [.. methods.Select(m => (m, (IReadOnlyList<(double, SeedPoint)>)[.. runs[m].Select(kv =>
                        (kv.Value.WallSeconds, new SeedPoint(kv.Key, 100 * kv.Value.BestDev, !scores[m][kv.Key].Learned)))]))]),
                $"{Name}-{task.Key}", $"Best dev {metric} of every fine-tuning run on {task.Key} against its wall time; crosshairs: mean with 95 % CI on both axes.");

            report.Measure(new Measurement(new MeasurementKey(Name, DevScore, Metric: metric, Task: task.Key), $"best dev {metric} on {task.Key}", ValueUnit.Score,
                scores, [EffectTest.PairedDifference, EffectTest.VarianceRatio]));
            report.Measure(new Measurement(new MeasurementKey(Name, WallSeconds, Metric: "wall_seconds", Task: task.Key), $"wall time per run on {task.Key}", ValueUnit.Seconds, wall));
            foreach (var m in methods)
            {
                csv.Add(SummaryRow.Of(SummaryRow.Keys(Name, m, FineTunedRun.FineTuneProtocol, 1, task.Key, task.Key, metric: metric), scores[m]));
                csv.Add(SummaryRow.Of(SummaryRow.Keys(Name, m, FineTunedRun.FineTuneProtocol, 1, task.Key, task.Key, metric: "wall_seconds"), wall[m]));
            }
        }
        report.Data(Name, csv);
    }

    /// <summary>
    /// Every other score the runs recorded at their best step (a summarization run's ROUGE-1, ROUGE-2 and
    /// ROUGE-Lsum beside its ROUGE-L; an F1 beside an accuracy), one column each, mean ± sd with the 95 %
    /// interval of the mean over seeds; flagged as the primary score is (a run that did not learn its task).
    /// Descriptive: claims are made on the primary score only.
    /// </summary>
    static void OtherScores(string task, string primary, IReadOnlyList<string> methods, Dictionary<string, Dictionary<int, Commands.FineTuneMetrics>> runs,
        Dictionary<string, IReadOnlyDictionary<int, SeedValue>> scores, Report report, List<SummaryRow> csv)
    {
        // Interval bounds recorded beside a score (rouge1_low, rouge1_high) are not scores of their own.
        var metrics = runs.Values.SelectMany(r => r.Values).SelectMany(r => r.BestScores.Keys)
            .Where(k => !k.EndsWith("_low", StringComparison.Ordinal) && !k.EndsWith("_high", StringComparison.Ordinal)).Distinct()
            .Order(StringComparer.Ordinal).ToList();
        if (metrics.Count < 2) return;
        IReadOnlyDictionary<int, SeedValue> Values(string method, string metric) => runs[method].Where(kv => kv.Value.BestScores.ContainsKey(metric))
            .ToDictionary(kv => kv.Key, kv => new SeedValue(kv.Value.BestScores[metric], scores[method][kv.Key].NotLearned));
        string Cell(IReadOnlyDictionary<int, SeedValue> values)
        {
            if (values.Count < 2) return Format.MeanSd(values);
            var s = Summary.Of([.. values.Values.Select(v => v.Value)]);
            return $"{Format.MeanSd(values)} [{Format.Points(s.CiLow)}, {Format.Points(s.CiHigh)}]";
        }
        report.Table(new ReportTable($"{Name}-{task}-scores",
            $"Every dev score on {task} at each run's best step (points), mean ± sd over seeds [95 % CI of the mean]; ✗n: n runs did not learn the task. Claims rest on {primary} alone.",
            ["method", "seeds", .. metrics], [.. methods.Select(m => (IReadOnlyList<string>)[m, $"{runs[m].Count}", .. metrics.Select(metric => Cell(Values(m, metric)))])]));
        foreach (var m in methods)
            foreach (var metric in metrics.Where(x => x != primary))
                if (Values(m, metric) is { Count: > 0 } values)
                    csv.Add(SummaryRow.Of(SummaryRow.Keys(Name, m, FineTunedRun.FineTuneProtocol, 1, task, task, metric: metric), values));
    }
}
