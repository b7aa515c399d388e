using CsvHelper;
using Probing.Training.Model;
using Probing.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Workbench.Benchmarks;

[CsvRecord]
public partial record EncoderBenchRow(
    string Implementation, string Model, string Variant, string Phase, int Threads, int Batch, int Length,
    double Milliseconds, double GflopPerSecond, double GemmGflopPerSecond, double ShareOfGemm);

/// <summary>
/// Forward and masked-LM training-step time of an encoder, with the FLOPs they perform turned into
/// GFLOP/s beside a 1024×1024 matmul measured in the same process. Variants isolate the three known
/// slowdowns of a naive implementation: the MLM head on every position, TorchSharp's allocating
/// Adam, and an N(0, 1) embedding initialisation (denormal floats in the backward pass).
/// </summary>
public sealed class EncoderBenchmark(int warmup, int iterations)
{
    public const double MaskedShare = 0.15;

    public static readonly (string Name, EncoderConfig Config)[] Models =
    [
        ("default-2x128", new EncoderConfig { VocabSize = 30522, MaxPositionEmbeddings = 128 }),
        ("bert-base-12x768", new EncoderConfig { VocabSize = 30522, HiddenSize = 768, NumHiddenLayers = 12, NumAttentionHeads = 12, IntermediateSize = 3072, MaxPositionEmbeddings = 512 }),
    ];

    public static readonly string[] Variants = ["workbench", "mlm-head-all-positions", "torchsharp-adamw", "normal-init"];

    public double GemmGflopPerSecond()
    {
        using var a = randn(1024, 1024);
        using var b = randn(1024, 1024);
        var ms = Timing.MedianMilliseconds(() => { using var c = a.matmul(b); }, 3, 20);
        return 2.0 * 1024 * 1024 * 1024 / (ms * 1e6);
    }

    public IEnumerable<EncoderBenchRow> Run(string modelName, EncoderConfig config, string variant, int batch, int length, double gemm)
    {
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
            new("torchsharp", modelName, variant, phase, threads, batch, length, Math.Round(ms, 2),
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
        yield return Row("train-step", stepMs, 3 * (EncoderFlops.Forward(config, batch, length) + EncoderFlops.MaskedLmHead(config, maskedCount)));
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
}
