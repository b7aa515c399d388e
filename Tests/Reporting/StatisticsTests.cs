using NUnit.Framework;
using Probing.Workbench.Reporting;

namespace Probing.Tests.Reporting;

/// <summary>Expected values come from SciPy 1.10 (statistics_reference.py beside this file), an independent implementation, or by hand.</summary>
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
        Assert.That(c.Effect, Is.EqualTo(0.026).Within(1e-12));
        Assert.That(c.Sd, Is.EqualTo(0.02190890230020663).Within(1e-12));
        Assert.That(c.CiLow, Is.EqualTo(-0.0012034952263302832).Within(1e-9));
        Assert.That(c.CiHigh, Is.EqualTo(0.053203495226330236).Within(1e-9));
        Assert.That(c.PValue, Is.EqualTo(0.05676723381232178).Within(1e-6));
    }

    [Test]
    public void VarianceRatioFTestMatchesScipy()
    {
        var f = Comparison.VarianceRatio(A, B);
        Assert.That(f.Effect, Is.EqualTo(2.529411764705869).Within(1e-9));
        Assert.That(f.PValue, Is.EqualTo(0.3906851851851878).Within(1e-6));
        Assert.That(f.CiLow, Is.EqualTo(0.2633561241481686).Within(1e-6));
        Assert.That(f.CiHigh, Is.EqualTo(24.2938108848871).Within(1e-5));
    }

    [Test]
    public void OneValueHasNoSpreadAndNoInterval()
    {
        var s = Summary.Of([0.5]);
        Assert.That(s.Mean, Is.EqualTo(0.5));
        Assert.That(double.IsNaN(s.StandardDeviation) && double.IsNaN(s.CiLow) && double.IsNaN(s.CiHigh), "undefined, not zero");
    }

    /// <summary>The quickstart's failure: both seeds differ by exactly +2.40 pts. A zero standard error gives no p-value, never p = 0.</summary>
    [Test]
    public void IdenticalDifferencesGiveNoPValue()
    {
        var c = Comparison.Paired([0.824, 0.834], [0.800, 0.810]);
        Assert.That(c.Effect, Is.EqualTo(0.024).Within(1e-12));
        Assert.That(c.HasPValue, Is.False);
        Assert.That(double.IsNaN(c.PValue));
        Assert.That(Comparison.VarianceRatio([0.7, 0.7, 0.7], [0.6, 0.7, 0.8]).HasPValue, Is.False, "a zero variance has no F test either");
    }

    /// <summary>By hand: p = (0.01, 0.04, 0.03) sorted 0.01, 0.03, 0.04 → 3 × 0.01 = 0.03, 2 × 0.03 = 0.06, max(0.06, 1 × 0.04) = 0.06.</summary>
    [Test]
    public void HolmAdjustsStepDownAndKeepsTheInputOrder()
    {
        Assert.That(Holm.Adjust([0.01, 0.04, 0.03]), Is.EqualTo(new[] { 0.03, 0.06, 0.06 }).Within(1e-12));
        var withGap = Holm.Adjust([0.02, double.NaN, 0.5]);
        Assert.That(withGap[0], Is.EqualTo(0.04).Within(1e-12), "a missing p-value does not count in the family");
        Assert.That(double.IsNaN(withGap[1]));
        Assert.That(withGap[2], Is.EqualTo(0.5).Within(1e-12));
        Assert.That(Holm.Adjust([0.6, 0.7]), Is.EqualTo(new[] { 1.0, 1.0 }), "capped at 1");
    }
}
