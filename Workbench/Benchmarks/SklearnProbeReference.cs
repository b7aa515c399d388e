using System.Text.Json;

namespace Probing.Workbench.Benchmarks;

/// <summary>
/// Runs <c>bench/probe_sklearn.py</c> (Debian's python3-sklearn) on the .npy features that
/// <see cref="ProbeBenchmark.Fits"/> wrote, with the same C per task, at the same thread count.
/// </summary>
public static class SklearnProbeReference
{
    public static IEnumerable<ProbeBenchRow> Run(string python, string scratch, IReadOnlyList<(string Task, double C)> tasks, int repeats)
    {
        File.WriteAllText(Path.Combine(scratch, "tasks.json"), JsonSerializer.Serialize(new { tasks = tasks.Select(t => new { task = t.Task, c = t.C }) }));
        var threads = TorchSharp.torch.get_num_threads();
        using var result = PythonReference.Run(python, "probe_sklearn.py", [scratch, $"{repeats}"], threads);
        foreach (var task in result.RootElement.GetProperty("tasks").EnumerateArray())
            yield return new ProbeBenchRow("fit", task.GetProperty("task").GetString()!, "sklearn", threads,
                Math.Round(task.GetProperty("fit_ms").GetDouble(), 1), task.GetProperty("test_accuracy").GetDouble(), null);
    }
}
