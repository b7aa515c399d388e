using System.Globalization;
using CsvHelper;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Workbench.Benchmarks;

/// <summary>The process's resident memory and the managed heap after <see cref="Step"/> steps of one method.</summary>
[CsvRecord]
public partial record MemoryBenchRow(string Method, string Model, int Threads, int Batch, int Length, int Step, double RssMegabytes, double ManagedMegabytes);

/// <summary>
/// Resident memory over long runs of every method (a small config, so thousands of steps take minutes):
/// flat when every step's tensors are disposed. Methods run one after another in one process, each on
/// a fresh model; a method's growth is read from its own samples (the process keeps earlier methods' freed heap).
/// </summary>
public sealed class MemoryBenchmark(int steps, int every)
{
    public static readonly EncoderConfig Config = new() { VocabSize = 2_000, HiddenSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 256, MaxPositionEmbeddings = 32 };
    public const int Batch = 8, Length = 32;
    const string ModelName = "small-2x64";

    public IEnumerable<MemoryBenchRow> Run(string method)
    {
        using var start = new Encoder(Config);
        Initialization.Apply(start, Config, seed: 1);
        using var stepper = new MethodStepper(method, start);
        var threads = get_num_threads();
        yield return Sample(method, threads, 0);
        for (int step = 0; step < steps; step++)
        {
            using (var scope = NewDisposeScope())
            {
                manual_seed(step);
                var ids = randint(5, Config.VocabSize, [Batch, Length], dtype: int64);
                stepper.Step(new ClassifierBatch(ids, zeros_like(ids), ones_like(ids), randint(0, 2, [Batch], dtype: int64)));
            }
            if ((step + 1) % every == 0 || step + 1 == steps) yield return Sample(method, threads, step + 1);
        }
    }

    /// <summary>Growth of resident memory from the first sample at or after <paramref name="warmup"/> steps to the last, in percent.</summary>
    public static double GrowthPercent(IReadOnlyList<MemoryBenchRow> samples, int warmup)
    {
        var first = samples.First(s => s.Step >= warmup);
        return 100 * (samples[^1].RssMegabytes - first.RssMegabytes) / first.RssMegabytes;
    }

    static MemoryBenchRow Sample(string method, int threads, int step) =>
        new(method, ModelName, threads, Batch, Length, step, Math.Round(ResidentMegabytes(), 1), Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1));

    /// <summary>VmRSS from /proc/self/status (Linux), in MiB.</summary>
    static double ResidentMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
