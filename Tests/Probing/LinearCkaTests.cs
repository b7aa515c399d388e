using MathNet.Numerics.LinearAlgebra;
using NUnit.Framework;
using Probing.Probing.Features;
using Probing.Probing.Similarity;

namespace Probing.Tests.Probes;

public class LinearCkaTests
{
    static Matrix<double> Random(int rows, int columns, int seed) =>
        Matrix<double>.Build.Random(rows, columns, new MathNet.Numerics.Distributions.Normal(0, 1, new System.Random(seed)));

    static FeatureMatrix Features(Matrix<double> m) =>
        new([.. Enumerable.Range(0, m.RowCount).SelectMany(r => m.Row(r).Select(v => (float)v))], m.RowCount, m.ColumnCount);

    /// <summary>The kernel form HSIC(K, L) / √(HSIC(K, K)·HSIC(L, L)) with n × n Gram matrices: an independent route.</summary>
    static double KernelCka(Matrix<double> x, Matrix<double> y)
    {
        var n = x.RowCount;
        var h = Matrix<double>.Build.DenseIdentity(n) - Matrix<double>.Build.Dense(n, n, 1.0 / n);
        double Hsic(Matrix<double> k, Matrix<double> l) => (k * h * l * h).Trace();
        var kx = x * x.Transpose();
        var ky = y * y.Transpose();
        return Hsic(kx, ky) / Math.Sqrt(Hsic(kx, kx) * Hsic(ky, ky));
    }

    [Test]
    public void IdenticalRepresentationsHaveCkaOne()
    {
        var x = Features(Random(200, 12, 1));
        Assert.That(LinearCka.Compute(x, x), Is.EqualTo(1).Within(1e-9));
    }

    [Test]
    public void InvariantToOrthogonalTransformAndIsotropicScaling()
    {
        var x = Random(200, 12, 2);
        var q = Random(12, 12, 3).QR().Q;
        Assert.That(LinearCka.Compute(Features(x), Features(x * q * 3.5)), Is.EqualTo(1).Within(1e-5));
        var other = Random(200, 7, 4) + x.SubMatrix(0, 200, 0, 7);
        Assert.That(LinearCka.Compute(Features(x), Features(other * Random(7, 7, 5).QR().Q * 0.2)),
            Is.EqualTo(LinearCka.Compute(Features(x), Features(other))).Within(1e-5));
    }

    [Test]
    public void AgreesWithTheKernelFormulation()
    {
        var x = Random(60, 5, 6);
        var y = x.SubMatrix(0, 60, 0, 3) * 2 + Random(60, 3, 7);
        var expected = KernelCka(Features(x).ToMathNet(), Features(y).ToMathNet());
        var actual = LinearCka.Compute(Features(x), Features(y));
        Assert.That(actual, Is.EqualTo(expected).Within(1e-6));
        Assert.That(actual, Is.InRange(0.2, 0.95), "partly shared signal lies strictly between the extremes");
    }

    [Test]
    public void IndependentFeaturesHaveCkaNearZero()
    {
        var cka = LinearCka.Compute(Features(Random(5000, 10, 8)), Features(Random(5000, 10, 9)));
        Assert.That(cka, Is.LessThan(0.01), "expected ≈ d/n = 0.002");
    }
}

static class FeatureMatrixMath
{
    /// <summary>The float32 values as double, so both routes see exactly the same inputs.</summary>
    public static Matrix<double> ToMathNet(this FeatureMatrix m) =>
        Matrix<double>.Build.Dense(m.Rows, m.Columns, (r, c) => m.Data[r * m.Columns + c]);
}
