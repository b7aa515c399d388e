using System.Diagnostics;
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

    /// <param name="runOne">Runs one seed in this process.</param>
    /// <param name="workerArguments">The command line of a worker for one seed (its folder and threads included).</param>
    public static SeedSummary Run(IReadOnlyList<int> seeds, int jobs, string output, Func<int, FineTuneMetrics> runOne, Func<int, int, string[]> workerArguments)
    {
        if (jobs < 1) throw new InputError($"--jobs {jobs}: expected a positive number");
        var metrics = jobs == 1 ? [.. seeds.Select(runOne)] : RunWorkers(seeds, jobs, output, workerArguments);
        return Summarize(metrics, output);
    }

    static List<FineTuneMetrics> RunWorkers(IReadOnlyList<int> seeds, int jobs, string output, Func<int, int, string[]> workerArguments)
    {
        var threads = Math.Max(1, Environment.ProcessorCount / jobs);
        var failures = new List<string>();
        Parallel.ForEach(seeds, new ParallelOptions { MaxDegreeOfParallelism = jobs }, seed =>
        {
            var start = Experiments.WorkbenchProcess.StartInfo(workerArguments(seed, threads));
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(SeedFolder(output, seed)).FullName, "worker.log"), process.StandardOutput.ReadToEnd());
            process.WaitForExit();
            if (process.ExitCode != 0) lock (failures) failures.Add($"seed {seed} (exit {process.ExitCode}): {stderr.Result.Trim()}");
        });
        if (failures.Count > 0) throw new InputError("worker failed: " + string.Join("; ", failures));
        return [.. seeds.Select(seed => FineTuneRun.ReadFinished(SeedFolder(output, seed)))];
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
