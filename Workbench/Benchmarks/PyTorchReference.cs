using Probing.Training.Model;

namespace Probing.Workbench.Benchmarks;

/// <summary>
/// Times the same encoder step in PyTorch (<c>bench/encoder_step.py</c>, an independent implementation)
/// at the same thread count, so the CSV holds both sides of the ratio from one run.
/// </summary>
public static class PyTorchReference
{
    public static IEnumerable<EncoderBenchRow> Run(string python, string modelName, EncoderConfig config, int batch, int length, int iterations)
    {
        var threads = TorchSharp.torch.get_num_threads();
        using var result = PythonReference.Run(python, "encoder_step.py",
        [
            "--vocab", $"{config.VocabSize}", "--hidden", $"{config.HiddenSize}", "--layers", $"{config.NumHiddenLayers}",
            "--heads", $"{config.NumAttentionHeads}", "--ffn", $"{config.IntermediateSize}", "--batch", $"{batch}",
            "--length", $"{length}", "--iterations", $"{iterations}", "--threads", $"{threads}",
        ], threads);
        var forwardMs = result.RootElement.GetProperty("forward_ms").GetDouble();
        var stepMs = result.RootElement.GetProperty("train_step_ms").GetDouble();
        var masked = result.RootElement.GetProperty("masked_positions").GetInt64();
        // PyTorch's own 1024² GEMM (its BLAS differs from libtorch's): the share of it says whether a gap is the BLAS or the model code.
        var gemm = result.RootElement.GetProperty("gemm_gflops").GetDouble();
        EncoderBenchRow Row(string phase, double ms, double flops) =>
            new("pytorch", modelName, "workbench", phase, threads, batch, length, Math.Round(ms, 2),
                Math.Round(flops / (ms * 1e6), 1), Math.Round(gemm, 1), Math.Round(flops / (ms * 1e6) / gemm, 3));
        yield return Row("forward", forwardMs, EncoderFlops.Forward(config, batch, length));
        yield return Row("train-step", stepMs, EncoderFlops.TrainingStep(config, batch, length, masked));
    }
}
