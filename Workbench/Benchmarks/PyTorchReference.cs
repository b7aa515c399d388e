using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Probing.Training.Infrastructure;
using Probing.Training.Model;

namespace Probing.Workbench.Benchmarks;

/// <summary>
/// Times the same encoder step in PyTorch (<c>bench/encoder_step.py</c>, an independent implementation)
/// at the same thread count, so the CSV holds both sides of the ratio from one run.
/// </summary>
public static class PyTorchReference
{
    /// <summary>Debian's python3-torch; the first python3 on PATH may be another interpreter without torch.</summary>
    const string Python = "/usr/bin/python3";

    public static IEnumerable<EncoderBenchRow> Run(string modelName, EncoderConfig config, int batch, int length, int iterations)
    {
        var script = Path.Combine(ProjectPaths.DataDir, "..", "bench", "encoder_step.py");
        if (!File.Exists(Python)) throw new InputError($"{Python}: not found; install Debian's python3-torch (see bench/README.md)");
        var threads = TorchSharp.torch.get_num_threads();
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            ArgumentList =
            {
                script, "--vocab", $"{config.VocabSize}", "--hidden", $"{config.HiddenSize}", "--layers", $"{config.NumHiddenLayers}",
                "--heads", $"{config.NumAttentionHeads}", "--ffn", $"{config.IntermediateSize}", "--batch", $"{batch}",
                "--length", $"{length}", "--iterations", $"{iterations}", "--threads", $"{threads}",
            },
        };
        // Debian's OpenBLAS does not recognise this CPU and would fall back to a generic kernel (~4× slower).
        info.Environment["OPENBLAS_CORETYPE"] = "SkylakeX";
        info.Environment["OPENBLAS_NUM_THREADS"] = "1";
        using var process = Process.Start(info) ?? throw new InputError($"{Python}: could not start");
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InputError($"{script}: exited with {process.ExitCode}: {stderr.Trim().Split('\n')[^1]}");
        using var result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var forwardMs = result.RootElement.GetProperty("forward_ms").GetDouble();
        var stepMs = result.RootElement.GetProperty("train_step_ms").GetDouble();
        var masked = result.RootElement.GetProperty("masked_positions").GetInt64();
        // PyTorch's own 1024² GEMM (its BLAS may differ from libtorch's): the ratio to it says whether a gap is the BLAS or the model code.
        var gemm = result.RootElement.GetProperty("gemm_gflops").GetDouble();
        EncoderBenchRow Row(string phase, double ms, double flops) =>
            new("pytorch", modelName, "workbench", phase, threads, batch, length, Math.Round(ms, 2),
                Math.Round(flops / (ms * 1e6), 1), Math.Round(gemm, 1), Math.Round(flops / (ms * 1e6) / gemm, 3));
        yield return Row("forward", forwardMs, EncoderFlops.Forward(config, batch, length));
        yield return Row("train-step", stepMs, 3 * (EncoderFlops.Forward(config, batch, length) + EncoderFlops.MaskedLmHead(config, masked)));
    }
}
