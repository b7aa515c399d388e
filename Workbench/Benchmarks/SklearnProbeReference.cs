using System.Diagnostics;
using System.Text.Json;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Benchmarks;

/// <summary>
/// Runs <c>bench/probe_sklearn.py</c> (Debian's python3-sklearn) on the .npy features that
/// <see cref="ProbeBenchmark.Fits"/> wrote, with the same C per task, at the same thread count.
/// </summary>
public static class SklearnProbeReference
{
    const string Python = "/usr/bin/python3";

    public static IEnumerable<ProbeBenchRow> Run(string scratch, IReadOnlyList<(string Task, double C)> tasks, int repeats)
    {
        var script = Path.Combine(ProjectPaths.DataDir, "..", "bench", "probe_sklearn.py");
        if (!File.Exists(Python)) throw new InputError($"{Python}: not found; install Debian's python3-sklearn");
        File.WriteAllText(Path.Combine(scratch, "tasks.json"), JsonSerializer.Serialize(new { tasks = tasks.Select(t => new { task = t.Task, c = t.C }) }));
        var threads = TorchSharp.torch.get_num_threads();
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, ArgumentList = { script, scratch, $"{repeats}" } };
        // Debian's OpenBLAS misdetects this CPU and would fall back to a generic kernel; pin its kernel and threads.
        info.Environment["OPENBLAS_CORETYPE"] = "SkylakeX";
        info.Environment["OPENBLAS_NUM_THREADS"] = $"{threads}";
        info.Environment["OMP_NUM_THREADS"] = $"{threads}";
        using var process = Process.Start(info) ?? throw new InputError($"{Python}: could not start");
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InputError($"{script}: exited with {process.ExitCode}: {stderr.Trim().Split('\n')[^1]}");
        using var result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        foreach (var task in result.RootElement.GetProperty("tasks").EnumerateArray())
            yield return new ProbeBenchRow("fit", task.GetProperty("task").GetString()!, "sklearn", threads,
                Math.Round(task.GetProperty("fit_ms").GetDouble(), 1), task.GetProperty("test_accuracy").GetDouble(), null);
    }
}
