using static TorchSharp.torch;

namespace Probing.Tests;

static class TensorAssert
{
    /// <summary>Same shape and bitwise-equal values.</summary>
    public static bool Identical(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
