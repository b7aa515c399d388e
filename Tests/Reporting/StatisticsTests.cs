using NUnit.Framework;
using Probing.Workbench.Reporting;

namespace Probing.Tests.Reporting;

/// <summary>Expected values come from SciPy 1.10 (statistics_reference.py beside this file), an independent implementation.</summary>
public class StatisticsTests
{
    static readonly double[] A = [0.81, 0.79, 0.84, 0.80, 0.83];
    static readonly double[] B = [0.78, 0.80, 0.79, 0.77, 0.80];

    [Test]
    public void SummaryMatchesTextbookValues()
    {
        var s = Summary.Of(A);
        Assert.That(s.Mean, Is.EqualTo(0.814).Within(1e-12));
        Assert.That(s.StandardDeviation, Is.EqualTo(0.020736441353327684).Within(1e-12));
        Assert.That(s.Median, Is.EqualTo(0.81).Within(1e-12));
        Assert.That(s.CiLow, Is.EqualTo(0.7882523073207093).Within(1e-9));
        Assert.That(s.CiHigh, Is.EqualTo(0.8397476926792908).Within(1e-9));
        Assert.That((s.Min, s.Max), Is.EqualTo((0.79, 0.84)));
    }

    [Test]
    public void PairedTTestMatchesScipy()
    {
        var c = Comparison.Paired(A, B);
        Assert.That(c.MeanDifference, Is.EqualTo(0.026).Within(1e-12));
        Assert.That(c.PValue, Is.EqualTo(0.05676723381232178).Within(1e-6));
        Assert.That(c.Significant(), Is.False);
    }

    [Test]
    public void WelchTTestMatchesScipy()
    {
        Assert.That(Comparison.Welch(A, B).PValue, Is.EqualTo(0.05073687473493979).Within(1e-6));
    }

    [Test]
    public void VarianceRatioFTestMatchesScipy()
    {
        var f = VarianceRatio.Of(A, B);
        Assert.That(f.Ratio, Is.EqualTo(2.529411764705869).Within(1e-9));
        Assert.That(f.PValue, Is.EqualTo(0.3906851851851878).Within(1e-6));
    }

    [Test]
    public void SingleValueHasAZeroWidthInterval()
    {
        var s = Summary.Of([0.5]);
        Assert.That((s.CiLow, s.CiHigh, s.StandardDeviation), Is.EqualTo((0.5, 0.5, 0.0)));
    }
}
