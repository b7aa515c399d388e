using static TorchSharp.torch;

namespace Probing.Training.Infrastructure;

/// <summary>
/// Process-wide torch settings: threads and the device that models and batches go to. Same seed and
/// same thread count give bitwise-identical runs on CPU (the tested default); CUDA needs a build with
/// <c>-p:TorchDevice=cuda</c> and a GPU, and is not bitwise-reproducible against CPU.
/// </summary>
public static class TorchRuntime
{
    public static readonly IReadOnlyList<string> DeviceNames = ["cpu", "cuda", "auto"];

    public static Device Device { get; private set; } = CPU;

    /// <summary>"cpu" or "cuda": what run manifests record.</summary>
    public static string DeviceName => Device.type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu";

    public static void Configure(int threads, string device = "cpu")
    {
        if (threads < 1) throw new InputError($"--threads {threads}: expected a positive number");
        set_num_threads(threads);
        Device = device switch
        {
            "cpu" => CPU,
            "cuda" => cuda.is_available() ? CUDA
                : throw new InputError("--device cuda: CUDA is not available (build with -p:TorchDevice=cuda on a machine with an NVIDIA GPU and driver)"),
            "auto" => cuda.is_available() ? CUDA : CPU,
            _ => throw new InputError($"--device {device}: expected one of {string.Join(", ", DeviceNames)}"),
        };
    }
}
