using CsvHelper;
using Probing.Training.Checkpoints;
using Probing.Training.Model;
using Probing.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Workbench.Benchmarks;

[CsvRecord]
public partial record EncoderBenchRow(
    string Implementation, string Model, string Variant, string Phase, int Threads, int Batch, int Length,
    double Milliseconds, double GflopPerSecond, double GemmGflopPerSecond, double ShareOfGemm);

/// <summary>A model shape to time, with the batch and sequence length it is timed at.</summary>
public sealed record BenchModel(string Name, EncoderConfig Config, int Batch, int Length);

/// <summary>
/// Forward and masked-LM training-step time of an encoder, with the FLOPs they perform turned into
/// GFLOP/s beside a 1024×1024 matmul measured in the same process. Variants isolate the three known
/// slowdowns of a naive implementation: the MLM head on every position, TorchSharp's allocating
/// Adam, and an N(0, 1) embedding initialisation (denormal floats in the backward pass).
/// </summary>
public sealed class EncoderBenchmark(int warmup, int iterations)
{
    public const double MaskedShare = 0.15;

    /// <summary>
    /// The shipped base's shape at the studies' batch and length (the default), BERT's 30,522-piece
    /// vocabulary on the same 2 × 128 encoder at 128 tokens (the earlier benchmark shape), and BERT-base.
    /// </summary>
    public static IReadOnlyList<BenchModel> Models { get; } =
    [
        new("shipped-base", ShippedBaseShape(), 32, 64),
        new("bert-vocab-2x128", new EncoderConfig { VocabSize = 30522, MaxPositionEmbeddings = 128 }, 32, 128),
        new("bert-base-12x768", new EncoderConfig { VocabSize = 30522, HiddenSize = 768, NumHiddenLayers = 12, NumAttentionHeads = 12, IntermediateSize = 3072, MaxPositionEmbeddings = 512 }, 32, 128),
    ];

    public static readonly string[] DefaultModels = ["shipped-base", "bert-vocab-2x128"];

    public static readonly string[] Variants = ["workbench", "mlm-head-all-positions", "torchsharp-adamw", "normal-init"];

    /// <summary>data/base's config (2 × 128, 9,086 pieces), or that shape written out where no base is shipped.</summary>
    static EncoderConfig ShippedBaseShape()
    {
        var folder = ModelFolder.ShippedBaseDirectory;
        return File.Exists(Path.Combine(folder, EncoderCheckpoint.ConfigFile))
            ? EncoderCheckpoint.ReadConfig(folder)
            : new EncoderConfig { VocabSize = 9086, MaxPositionEmbeddings = 128 };
    }

    public double GemmGflopPerSecond()
    {
        using var a = randn(1024, 1024);
        using var b = randn(1024, 1024);
        var ms = Timing.MedianMilliseconds(() => { using var c = a.matmul(b); }, 3, 20);
        return 2.0 * 1024 * 1024 * 1024 / (ms * 1e6);
    }

    public IEnumerable<EncoderBenchRow> Run(BenchModel shape, string variant, double gemm)
    {
        var (config, batch, length) = (shape.Config, shape.Batch, shape.Length);
        var threads = get_num_threads();
        using var model = new MaskedLanguageModel(config);
        Initialization.Apply(model, config, seed: 1);
        if (variant == "normal-init")
            using (no_grad()) nn.init.normal_(model.Encoder.Embeddings.WordMatrix, 0, 1);

        manual_seed(1);
        using var ids = randint(1000, config.VocabSize, [batch, length], dtype: int64);
        using var types = zeros_like(ids);
        using var mask = ones_like(ids);
        using var selected = variant == "mlm-head-all-positions" ? ones([batch, length], dtype: @bool) : rand(batch, length).lt(MaskedShare);
        using var labels = ids[selected];
        var maskedCount = selected.sum().item<long>();

        EncoderBenchRow Row(string phase, double ms, double flops) =>
            new("torchsharp", shape.Name, variant, phase, threads, batch, length, Math.Round(ms, 2),
                Math.Round(flops / (ms * 1e6), 1), Math.Round(gemm, 1), Math.Round(flops / (ms * 1e6) / gemm, 3));

        if (variant == "workbench")
        {
            model.eval();
            var forwardMs = Timing.MedianMilliseconds(() =>
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                model.Encoder.Forward(ids, types, mask);
            }, warmup, iterations);
            yield return Row("forward", forwardMs, EncoderFlops.Forward(config, batch, length));
        }

        model.train();
        var step = TrainingStep(model, variant, ids, types, mask, selected, labels);
        var stepMs = Timing.MedianMilliseconds(step, warmup, iterations);
        yield return Row("train-step", stepMs, EncoderFlops.TrainingStep(config, batch, length, maskedCount));
    }

    static Action TrainingStep(MaskedLanguageModel model, string variant, Tensor ids, Tensor types, Tensor mask, Tensor selected, Tensor labels)
    {
        var parameters = model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        if (variant == "torchsharp-adamw")
        {
            var optimizer = optim.AdamW(model.parameters(), lr: 1e-4);
            return () =>
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                nn.functional.cross_entropy(model.PredictMasked(ids, types, mask, selected), labels).backward();
                optimizer.step();
            };
        }
        var adam = new AdamW(parameters);
        return () =>
        {
            using var scope = NewDisposeScope();
            adam.ZeroGrad();
            nn.functional.cross_entropy(model.PredictMasked(ids, types, mask, selected), labels).backward();
            adam.Step(1e-4);
        };
    }
}

/// <summary>Multiply-add FLOPs (2 per multiply-add) of a BERT encoder, counting matmuls only.</summary>
public static class EncoderFlops
{
    public static double Forward(EncoderConfig c, int batch, int length)
    {
        double tokens = (double)batch * length, h = c.HiddenSize;
        var projections = 2 * tokens * (4 * h * h + 2 * h * c.IntermediateSize);
        var attention = 2 * 2 * batch * (double)length * length * h;
        return c.NumHiddenLayers * (projections + attention);
    }

    public static double MaskedLmHead(EncoderConfig c, long maskedPositions) =>
        2.0 * maskedPositions * c.HiddenSize * (c.HiddenSize + c.VocabSize);

    /// <summary>A masked-LM training step: forward and backward (twice the forward's FLOPs) of the encoder and the head on the masked positions.</summary>
    public static double TrainingStep(EncoderConfig c, int batch, int length, long maskedPositions) =>
        3 * (Forward(c, batch, length) + MaskedLmHead(c, maskedPositions));
}
