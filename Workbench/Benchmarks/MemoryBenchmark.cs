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
/// flat when every step's tensors are disposed. Classification methods train a small encoder; the
/// seq2seq methods (named <c>seq2seq-</c> + kind) a small encoder–decoder. Each method runs on a fresh
/// model, a new random batch every step; a method's growth is read from its own samples (a process
/// keeps earlier methods' freed heap, so run one method per process for a clean baseline).
/// </summary>
public sealed class MemoryBenchmark(int steps, int every)
{
    public static readonly EncoderConfig Config = new() { VocabSize = 2_000, HiddenSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 256, MaxPositionEmbeddings = 32 };
    public static readonly Seq2SeqConfig Seq2SeqShape = new()
    {
        VocabSize = 2_000, DModel = 64, EncoderLayers = 2, DecoderLayers = 2, EncoderAttentionHeads = 2, DecoderAttentionHeads = 2,
        EncoderFfnDim = 256, DecoderFfnDim = 256, MaxPositionEmbeddings = 32, PadTokenId = 0, BosTokenId = 2, EosTokenId = 3, DecoderStartTokenId = 3,
    };
    public const int Batch = 8, Length = 32, TargetLength = 16;
    public const string Seq2SeqPrefix = "seq2seq-";
    const string ModelName = "small-2x64", Seq2SeqModelName = "small-2+2x64";

    public IEnumerable<MemoryBenchRow> Run(string method) =>
        method.StartsWith(Seq2SeqPrefix, StringComparison.Ordinal) ? RunSeq2Seq(method) : RunClassification(method);

    IEnumerable<MemoryBenchRow> RunClassification(string method)
    {
        using var start = new Encoder(Config);
        Initialization.Apply(start, Config, seed: 1);
        using var stepper = MethodStepper.Classifier(method, start);
        foreach (var row in Samples(method, ModelName, step =>
        {
            var ids = randint(5, Config.VocabSize, [Batch, Length], dtype: int64);
            stepper.Step(new ClassifierBatch(ids, zeros_like(ids), ones_like(ids), randint(0, 2, [Batch], dtype: int64)));
        })) yield return row;
    }

    IEnumerable<MemoryBenchRow> RunSeq2Seq(string method)
    {
        using var start = new Seq2SeqModel(Seq2SeqShape);
        Initialization.Apply(start, seed: 1);
        using var stepper = MethodStepper.Seq2Seq(method[Seq2SeqPrefix.Length..], start);
        var random = new Random(1);
        foreach (var row in Samples(method, Seq2SeqModelName, step =>
        {
            // Targets of random lengths, so every batch has padding (what the losses skip) and its shape changes.
            int[] Row(int length) => [.. Enumerable.Range(0, length).Select(_ => random.Next(5, Seq2SeqShape.VocabSize))];
            var sources = Enumerable.Range(0, Batch).Select(_ => Row(random.Next(4, Length + 1))).ToList();
            var targets = Enumerable.Range(0, Batch).Select(_ => Row(random.Next(2, TargetLength + 1))).ToList();
            stepper.Step(Seq2SeqBatch.FromIds(sources, targets, Seq2SeqShape.PadTokenId, Seq2SeqShape.DecoderStartTokenId));
        })) yield return row;
    }

    IEnumerable<MemoryBenchRow> Samples(string method, string model, Action<int> step)
    {
        var threads = get_num_threads();
        yield return Sample(method, model, threads, 0);
        for (int i = 0; i < steps; i++)
        {
            using (var scope = NewDisposeScope())
            {
                manual_seed(i);
                step(i);
            }
            if ((i + 1) % every == 0 || i + 1 == steps) yield return Sample(method, model, threads, i + 1);
        }
    }

    /// <summary>Growth of resident memory from the first sample at or after <paramref name="warmup"/> steps to the last, in percent.</summary>
    public static double GrowthPercent(IReadOnlyList<MemoryBenchRow> samples, int warmup)
    {
        var first = samples.First(s => s.Step >= warmup);
        return 100 * (samples[^1].RssMegabytes - first.RssMegabytes) / first.RssMegabytes;
    }

    static MemoryBenchRow Sample(string method, string model, int threads, int step) =>
        new(method, model, threads, Batch, Length, step, Math.Round(ResidentMegabytes(), 1), Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1));

    /// <summary>VmRSS from /proc/self/status (Linux), in MiB.</summary>
    static double ResidentMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
