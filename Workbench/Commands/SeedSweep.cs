using CsvHelper;
using Probing.Training.Infrastructure;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>One run of a seed sweep in <c>seeds.csv</c>: its best dev score (<see cref="Metric"/>, the task's primary one) and wall time.</summary>
[CsvRecord]
public partial record SeedRunRow(int Seed, string Task, string Method, string Metric, double Value, double WallSeconds);

/// <summary>The aggregates of a seed sweep; the aggregation rule is named next to every number.</summary>
public sealed record SeedSummary(string Task, string Method, string Metric, int Runs, double Median, double Max, double Mean, double StandardDeviation, double MeanWallSeconds);

/// <summary>
/// One config over several seeds into <c>&lt;out&gt;/seed-&lt;n&gt;/</c>, in this process or in N worker
/// processes (the same executable, one seed each, cores/N threads), then <c>seeds.csv</c> (one row per seed) and <c>summary.json</c> (median, max, mean, sd).
/// </summary>
public static class SeedSweep
{
    public const string TableFile = "seeds.csv", SummaryFile = "summary.json";

    public static string SeedFolder(string output, int seed) => Path.Combine(output, $"seed-{seed}");

    /// <param name="plans">One planned run per seed; every folder is checked before any run starts.</param>
    /// <param name="workerArguments">The command line of a worker for one seed's plan (its folder and threads included).</param>
    public static SeedSummary Run(IReadOnlyList<Runs.RunPlan> plans, int jobs, string output, bool forceNew, Func<Runs.RunPlan, int, string[]> workerArguments)
    {
        if (jobs < 1) throw new InputError($"--jobs {jobs}: expected a positive number");
        foreach (var plan in plans) Runs.RunFolder.Check(plan.Folder, plan.Identity, forceNew);
        var metrics = jobs == 1 ? [.. plans.Select(plan => FineTuneRun.Run(plan, forceNew))] : RunWorkers(plans, jobs, forceNew, workerArguments);
        return Summarize(metrics, output);
    }

    static List<FineTuneMetrics> RunWorkers(IReadOnlyList<Runs.RunPlan> plans, int jobs, bool forceNew, Func<Runs.RunPlan, int, string[]> workerArguments)
    {
        var threads = Math.Max(1, Environment.ProcessorCount / jobs);
        var failures = new List<string>();
        using (Experiments.WorkerProcesses.ForwardSignals())
        {
            Parallel.ForEach(plans, new ParallelOptions { MaxDegreeOfParallelism = jobs }, plan =>
            {
                if (!forceNew && Runs.RunFolder.IsFinished(plan.Folder, plan.Identity)) return;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(plan.Folder))!);
                var stderr = new List<string>();
                int exitCode;
                using (var log = new StreamWriter(Path.GetFullPath(plan.Folder) + ".log", append: true))
                    exitCode = Experiments.WorkerProcesses.Run(Experiments.WorkbenchProcess.StartInfo(workerArguments(plan, threads)),
                        (line, isError) => { lock (log) log.WriteLine(line); if (isError) lock (stderr) stderr.Add(line); });
                if (exitCode != 0) lock (failures) failures.Add($"seed {plan.Seed} (exit {exitCode}): {string.Join(" ", stderr).Trim()}");
            });
        }
        if (Experiments.WorkerProcesses.Stopping) throw new Experiments.Interrupted(Experiments.WorkerProcesses.StopSignal);
        if (failures.Count > 0) throw new InputError("worker failed: " + string.Join("; ", failures));
        return [.. plans.Select(plan => FineTuneRun.ReadFinished(plan.Folder))];
    }

    public static SeedSummary Summarize(IReadOnlyList<FineTuneMetrics> runs, string output)
    {
        var scores = Reporting.Summary.Of([.. runs.Select(r => r.BestDev)]);
        var summary = new SeedSummary(runs[0].Task, runs[0].Method, runs[0].Metric, runs.Count,
            scores.Median, scores.Max, scores.Mean, scores.StandardDeviation, runs.Average(r => r.WallSeconds));
        // One row per run and nothing else: the aggregates live in summary.json, so every column keeps one type.
        CsvTable.Write(Path.Combine(output, TableFile), runs.Select(r => new SeedRunRow(r.Seed, r.Task, r.Method, r.Metric, r.BestDev, r.WallSeconds)));
        Json.Write(Path.Combine(output, SummaryFile), summary);
        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"{summary.Task} {summary.Method}: best dev {summary.Metric} over {summary.Runs} seeds: median {summary.Median:F4}, max {summary.Max:F4}, mean {summary.Mean:F4} ± {summary.StandardDeviation:F4} (sd)")));
        return summary;
    }
}
