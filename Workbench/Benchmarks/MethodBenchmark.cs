using CsvHelper;
using Probing.Training.Checkpoints;
using Probing.Training.Model;
using Probing.Training.Optimization;
using Probing.Training.Regularizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Workbench.Benchmarks;

[CsvRecord]
public partial record MethodBenchRow(string Measure, string Method, string Model, int Threads, int Batch, int Length, int Steps, double Milliseconds, double RatioToStandard, double PeakRssMegabytes);

/// <summary>
/// Step time of every fine-tuning method beside standard fine-tuning, measured in interleaved rounds
/// in one process (so machine noise hits all methods alike), and the process's peak resident memory
/// after long runs of a small config (flat when every step's tensors are disposed).
/// </summary>
public sealed class MethodBenchmark(int rounds)
{
    /// <summary>The shipped base, or a randomly initialised model of its shape (2 × 128, 2 heads, FFN 512, vocab ~27.5k).</summary>
    public static (string Name, Encoder Encoder) DefaultModel()
    {
        if (Directory.Exists(ModelFolder.ShippedBaseDirectory) && File.Exists(Path.Combine(ModelFolder.ShippedBaseDirectory, EncoderCheckpoint.WeightsFile)))
            return ("shipped-base", ModelFolder.Resolve(null).LoadEncoder());
        var config = new EncoderConfig { VocabSize = 27_500, HiddenSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 512, MaxPositionEmbeddings = 128 };
        var encoder = new Encoder(config);
        Initialization.Apply(encoder, config, seed: 1);
        return ("random-2x128-vocab27500", encoder);
    }

    public List<MethodBenchRow> StepTimes(string modelName, Encoder start, int batch, int length)
    {
        var threads = get_num_threads();
        var setups = MethodRegistry.Kinds.Select(kind => new MethodSetup(kind, start)).ToList();
        manual_seed(1);
        using var ids = randint(1000, start.Config.VocabSize, [batch, length], dtype: int64);
        using var types = zeros_like(ids);
        using var mask = ones_like(ids);
        using var labels = randint(0, 2, [batch], dtype: int64);
        var data = new ClassifierBatch(ids, types, mask, labels);
        var samples = setups.ToDictionary(s => s.Kind, _ => new List<double>());
        for (int round = -1; round < rounds; round++)
            foreach (var setup in setups)
            {
                var ms = Timing.MedianMilliseconds(() => setup.Step(data), warmup: 0, iterations: 1);
                if (round >= 0) samples[setup.Kind].Add(ms);
            }
        foreach (var setup in setups) setup.Dispose();
        var standard = Median(samples["standard"]);
        return [.. samples.Select(s => new MethodBenchRow("step", s.Key, modelName, threads, batch, length, rounds,
            Math.Round(Median(s.Value), 2), Math.Round(Median(s.Value) / standard, 3), 0))];
    }

    /// <summary>Peak RSS (VmHWM) after each of <paramref name="checkpoints"/> steps of a small model on short batches.</summary>
    public static List<MethodBenchRow> PeakMemory(string method, IReadOnlyList<int> checkpoints)
    {
        var config = new EncoderConfig { VocabSize = 2_000, HiddenSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 256, MaxPositionEmbeddings = 32 };
        using var start = new Encoder(config);
        Initialization.Apply(start, config, seed: 1);
        using var setup = new MethodSetup(method, start);
        const int batch = 8, length = 32;
        var rows = new List<MethodBenchRow>();
        int done = 0;
        foreach (var target in checkpoints.Order())
        {
            for (; done < target; done++)
            {
                using var scope = NewDisposeScope();
                manual_seed(done);
                var ids = randint(5, config.VocabSize, [batch, length], dtype: int64);
                setup.Step(new ClassifierBatch(ids, zeros_like(ids), ones_like(ids), randint(0, 2, [batch], dtype: int64)));
            }
            rows.Add(new MethodBenchRow("peak_rss", method, "small-2x64", get_num_threads(), batch, length, target, 0, 0, PeakRssMegabytes()));
        }
        return rows;
    }

    static double PeakRssMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>One method's student, optimizer and regularizer, stepping exactly as the fine-tuner does.</summary>
    sealed class MethodSetup : IDisposable
    {
        readonly SequenceClassifier student;
        readonly AdamW optimizer;
        readonly IRegularizer regularizer;
        readonly List<TorchSharp.Modules.Parameter> parameters;

        public MethodSetup(string kind, Encoder start)
        {
            Kind = kind;
            var options = MethodRegistry.Defaults(kind);
            SequenceClassifier Create() => new(start.Config, 2, options.SpectralNormHead);
            student = Create();
            ModuleState.Load(student.Encoder, start.state_dict(), "benchmark encoder");
            student.Head.Initialize(start.Config.InitializerRange, seed: 1);
            student.train();
            optimizer = new AdamW(student.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
            regularizer = MethodRegistry.Create(options, new RegularizerContext(student, Create));
            parameters = [.. student.parameters()];
        }

        public string Kind { get; }

        public void Step(ClassifierBatch batch)
        {
            using var scope = NewDisposeScope();
            regularizer.Backward(batch);
            nn.utils.clip_grad_norm_(parameters, 1.0);
            optimizer.Step(1e-5);
            optimizer.ZeroGrad();
            regularizer.AfterOptimizerStep();
        }

        public void Dispose()
        {
            regularizer.Dispose();
            optimizer.Dispose();
            student.Dispose();
        }
    }
}
