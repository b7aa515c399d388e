using static TorchSharp.torch;

namespace Probing.Training.Infrastructure;

/// <summary>Process-wide torch settings. Same seed and same thread count give bitwise-identical runs on CPU.</summary>
public static class TorchRuntime
{
    public static void Configure(int threads)
    {
        if (threads < 1) throw new InputError($"--threads {threads}: expected a positive number");
        set_num_threads(threads);
    }
}
