using NUnit.Framework;
using static TorchSharp.torch;

namespace Probing.Tests;

/// <summary>
/// Runs the whole suite on one torch thread: its tiny models gain nothing from two, and on a shared,
/// busy machine OpenMP's spinning threads made fine-tuning and protocol tests several times slower.
/// (Determinism tests compare runs inside one process, so they hold at any fixed thread count.)
/// </summary>
[SetUpFixture]
public sealed class OneThread
{
    int previous;

    [OneTimeSetUp]
    public void Use() { previous = get_num_threads(); set_num_threads(1); }

    [OneTimeTearDown]
    public void Restore() => set_num_threads(previous);
}
