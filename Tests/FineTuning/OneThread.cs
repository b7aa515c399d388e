using NUnit.Framework;
using static TorchSharp.torch;

namespace Probing.Tests.FineTuning;

/// <summary>
/// Runs the fine-tuning tests on one torch thread: their tiny models gain nothing from two, and on a
/// shared, busy machine OpenMP's spinning threads made them several times slower.
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
