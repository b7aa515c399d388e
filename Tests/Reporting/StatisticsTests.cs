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

    /// <summary>
    /// Pitman–Morgan against SciPy: the p-value of Pearson's test of corr(X + Y, X − Y) = 0, and the interval
    /// found by numerically inverting that test (brentq), not by the closed form the workbench uses.
    /// </summary>
    [TestCase(new[] { 0.81, 0.79, 0.84, 0.80, 0.83 }, new[] { 0.78, 0.80, 0.79, 0.77, 0.80 },
        2.529411764705869, 0.4558236282442897, 0.17123923662239354, 37.362487719685284)]
    [TestCase(new[] { 0.8049, 0.8095, 0.7956, 0.7729, 0.7906, 0.7871, 0.7878, 0.8222, 0.7711, 0.7747 },
        new[] { 0.7448, 0.7989, 0.7565, 0.7903, 0.7956, 0.7746, 0.7257, 0.8106, 0.7887, 0.791 },
        0.38766311468043907, 0.20004900425423547, 0.08790501156926792, 1.7096032160273207)]
    public void VarianceRatioIsPitmanMorgansPairedTestAsScipyComputesIt(double[] method, double[] baseline, double ratio, double p, double low, double high)
    {
        var c = Comparison.VarianceRatio(method, baseline);
        Assert.That(c.Test, Is.EqualTo(EffectTest.VarianceRatio));
        Assert.That(c.Effect, Is.EqualTo(ratio).Within(1e-9));
        Assert.That(c.PValue, Is.EqualTo(p).Within(1e-9));
        Assert.That(c.CiLow, Is.EqualTo(low).Within(1e-7 * low));
        Assert.That(c.CiHigh, Is.EqualTo(high).Within(1e-7 * high));
    }

    /// <summary>
    /// The pairing matters: the same values with the baseline's seeds shuffled give the same variance ratio
    /// but another test (the F test of independent samples could not tell the two apart).
    /// </summary>
    [Test]
    public void VarianceRatioUsesThePairingBySeed()
    {
        double[] method = [0.81, 0.79, 0.84, 0.80, 0.83], baseline = [0.78, 0.80, 0.79, 0.77, 0.80], shuffled = [0.80, 0.78, 0.77, 0.79, 0.80];
        var paired = Comparison.VarianceRatio(method, baseline);
        var other = Comparison.VarianceRatio(method, shuffled);
        Assert.That(other.Effect, Is.EqualTo(paired.Effect).Within(1e-12));
        Assert.That(other.PValue, Is.Not.EqualTo(paired.PValue).Within(1e-3));
        Assert.That(Comparison.VarianceRatio([0.8, 0.7], [0.6, 0.9]).HasPValue, Is.False, "two pairs leave the test no degree of freedom");
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
        Assert.That(Comparison.VarianceRatio([0.7, 0.7, 0.7], [0.6, 0.7, 0.8]).HasPValue, Is.False, "a zero variance has no test of the ratio either");
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
