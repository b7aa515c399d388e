using static TorchSharp.torch;

namespace Probing.Probing.Probes;

/// <summary>
/// Runs torch on one intra-op thread until disposed, then restores the previous count. Probe fits are
/// many tiny products: with two OpenMP threads on a shared 2-core machine a fit measured 10–50×
/// slower than on one (threads spin waiting for each other); one thread also makes fits independent
/// of --threads. Process-wide, so only for code that runs no concurrent torch work.
/// </summary>
public sealed class SingleThreadedTorch : IDisposable
{
    readonly int previous = get_num_threads();

    public SingleThreadedTorch() => set_num_threads(1);

    public void Dispose() => set_num_threads(previous);
}
