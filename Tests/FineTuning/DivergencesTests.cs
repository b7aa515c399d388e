using NUnit.Framework;
using Probing.Training.Regularizers;
using static TorchSharp.torch;

namespace Probing.Tests.FineTuning;

public class DivergencesTests
{
    static readonly float[,] A = { { 1.0f, -0.5f, 0.25f }, { 0.0f, 2.0f, -1.0f } };
    static readonly float[,] B = { { 0.5f, 0.5f, -0.75f }, { 1.5f, -0.5f, 0.0f } };

    static double[] Softmax(float[,] logits, int row)
    {
        var e = Enumerable.Range(0, logits.GetLength(1)).Select(c => Math.Exp(logits[row, c])).ToArray();
        return [.. e.Select(x => x / e.Sum())];
    }

    [Test]
    public void SymmetricKlMatchesAHandComputation()
    {
        double expected = 0;
        for (int row = 0; row < 2; row++)
        {
            var p = Softmax(A, row);
            var q = Softmax(B, row);
            for (int c = 0; c < 3; c++) expected += p[c] * Math.Log(p[c] / q[c]) + q[c] * Math.Log(q[c] / p[c]);
        }
        expected /= 2;
        using var value = Divergences.SymmetricKl(tensor(A), tensor(B));
        Assert.That(value.item<float>(), Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void SymmetricKlOfIdenticalLogitsIsZero()
    {
        using var value = Divergences.SymmetricKl(tensor(A), tensor(A));
        Assert.That(value.item<float>(), Is.EqualTo(0).Within(1e-7));
    }

    [Test]
    public void SymmetricKlSendsGradientsToBothSides()
    {
        using var a = tensor(A).requires_grad_(true);
        using var b = tensor(B).requires_grad_(true);
        Divergences.SymmetricKl(a, b).backward();
        Assert.That(a.grad!.abs().sum().item<float>(), Is.GreaterThan(1e-3));
        Assert.That(b.grad!.abs().sum().item<float>(), Is.GreaterThan(1e-3));
    }

    [Test]
    public void DetachedTargetsVariantHasTheSameValue()
    {
        using var a = tensor(A).requires_grad_(true);
        using var b = tensor(B).requires_grad_(true);
        var detached = Divergences.SymmetricKlDetachedTargets(a, b);
        using var attached = Divergences.SymmetricKl(tensor(A), tensor(B));
        Assert.That(detached.item<float>(), Is.EqualTo(attached.item<float>()).Within(1e-6));
    }
}
