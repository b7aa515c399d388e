using System.Diagnostics;
using CsvHelper;
using Probing.Training.Checkpoints;
using static TorchSharp.torch;

namespace Probing.Workbench.Benchmarks;

[CsvRecord]
public partial record HfBenchRow(
    string Implementation, string Model, int Threads, int Batch, int Length, double LoadSeconds, double ForwardMs, double SequencesPerSecond);

/// <summary>
/// Load time and forward throughput of a Hugging Face folder in the workbench, beside the same
/// folder in PyTorch (<c>bench/hf_forward.py</c>, an independent loader and encoder) at equal threads.
/// </summary>
public static class HfBenchmark
{
    public static HfBenchRow Workbench(string directory, int batch, int length, int iterations)
    {
        var clock = Stopwatch.StartNew();
        var folder = ModelFolder.Resolve(directory);
        using var encoder = folder.LoadEncoder();
        var loadSeconds = clock.Elapsed.TotalSeconds;
        encoder.eval();
        using var _ = no_grad();
        using var generator = new Generator(1);
        using var ids = randint(5, encoder.Config.VocabSize, [batch, length], generator: generator, dtype: ScalarType.Int64);
        using var types = zeros_like(ids);
        using var mask = ones_like(ids);
        var ms = Timing.MedianMilliseconds(() =>
        {
            using var scope = NewDisposeScope();
            encoder.Forward(ids, types, mask);
        }, warmup: 1, iterations);
        return Row("torchsharp", directory, batch, length, loadSeconds, ms);
    }

    public static HfBenchRow PyTorch(string python, string directory, int batch, int length, int iterations)
    {
        using var result = PythonReference.Run(python, "hf_forward.py",
            ["--model", directory, "--batch", $"{batch}", "--length", $"{length}", "--iterations", $"{iterations}", "--threads", $"{get_num_threads()}"],
            get_num_threads());
        return Row("pytorch", directory, batch, length, result.RootElement.GetProperty("load_seconds").GetDouble(), result.RootElement.GetProperty("forward_ms").GetDouble());
    }

    static HfBenchRow Row(string implementation, string directory, int batch, int length, double loadSeconds, double forwardMs) =>
        new(implementation, Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')), get_num_threads(), batch, length,
            Math.Round(loadSeconds, 3), Math.Round(forwardMs, 1), Math.Round(batch * 1000 / forwardMs, 2));
}
