using NUnit.Framework;
using Probing.Training.Data.Embedded;
using Probing.Training.Evaluation;

namespace Probing.Tests.Evaluation;

public class BootstrapTests
{
    [Test]
    public void IdenticalDocumentsGiveAZeroWidthInterval()
    {
        var interval = Bootstrap.MeanInterval(Enumerable.Repeat(0.37, 250).ToArray());
        Assert.That(interval.Low, Is.EqualTo(interval.Mean));
        Assert.That(interval.High, Is.EqualTo(interval.Mean));
        Assert.That(interval.Mean, Is.EqualTo(0.37).Within(1e-15));
    }

    [Test]
    public void IntervalCoversTheMeanAndIsDeterministicForItsSeed()
    {
        var random = new StableRandom(7);
        var values = Enumerable.Range(0, 400).Select(_ => random.NextDouble()).ToArray();
        var interval = Bootstrap.MeanInterval(values);
        Assert.That(interval.Mean, Is.EqualTo(values.Average()).Within(1e-15));
        Assert.That(interval.Low, Is.LessThan(interval.Mean));
        Assert.That(interval.High, Is.GreaterThan(interval.Mean));
        Assert.That(Bootstrap.MeanInterval(values), Is.EqualTo(interval), "same seed, same interval");
        Assert.That(Bootstrap.MeanInterval(values, new BootstrapSettings(Seed: 2)), Is.Not.EqualTo(interval), "the seed draws the resamples");
    }

    [Test]
    public void WidthMatchesTheNormalApproximationForALargeSample()
    {
        // For n i.i.d. values the mean's 95 % interval is about ±1.96 s/√n; the percentile bootstrap agrees to a few percent.
        var random = new StableRandom(11);
        var values = Enumerable.Range(0, 2000).Select(_ => random.NextDouble()).ToArray();
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        var interval = Bootstrap.MeanInterval(values, new BootstrapSettings(Samples: 4000));
        Assert.That(interval.HalfWidth, Is.EqualTo(1.96 * sd / Math.Sqrt(values.Length)).Within(8).Percent);
    }

    [Test]
    public void PercentileInterpolatesLinearlyBetweenOrderStatistics()
    {
        // numpy.percentile([1, 2, 3, 4], [2.5, 25, 50, 97.5]) = [1.075, 1.75, 2.5, 3.925]: position q·(n − 1), linear between neighbours.
        double[] sorted = [1, 2, 3, 4];
        Assert.That(Bootstrap.Percentile(sorted, 0.025), Is.EqualTo(1.075).Within(1e-12));
        Assert.That(Bootstrap.Percentile(sorted, 0.25), Is.EqualTo(1.75).Within(1e-12));
        Assert.That(Bootstrap.Percentile(sorted, 0.5), Is.EqualTo(2.5).Within(1e-12));
        Assert.That(Bootstrap.Percentile(sorted, 0.975), Is.EqualTo(3.925).Within(1e-12));
        Assert.That(Bootstrap.Percentile(sorted, 1.0), Is.EqualTo(4));
    }

    [Test]
    public void CorpusRougeIsTheMeanOfPerDocumentScores()
    {
        // One perfect headline and one with no shared word: corpus F1 = (1 + 0) / 2 for every variant, not an F1 of pooled counts.
        var corpus = CorpusRouge.Score(["free software license", "network time daemon"], ["free software license", "graphics editor"]);
        foreach (var type in CorpusRouge.Types)
        {
            Assert.That(corpus[type].F1.Mean, Is.EqualTo(0.5), type.ToString());
            Assert.That(corpus[type].F1.Low, Is.LessThanOrEqualTo(0.5));
            Assert.That(corpus[type].F1.High, Is.GreaterThanOrEqualTo(0.5));
        }
        Assert.That(corpus.Documents, Is.EqualTo(2));
        Assert.Throws<ArgumentException>(() => CorpusRouge.Score(["a"], ["a", "b"]));
    }
}
