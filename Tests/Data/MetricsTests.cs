using NUnit.Framework;
using Probing.Training.Data;
using Probing.Training.Evaluation;

namespace Probing.Tests.Data;

public class MetricsTests
{
    // predicted 1 1 0 1 0 0 1 0
    // gold      1 0 0 1 1 0 1 0
    // TP=3 (0,3,6), FP=1 (1), FN=1 (4), TN=3 (2,5,7)
    static readonly int[] Predicted = [1, 1, 0, 1, 0, 0, 1, 0];
    static readonly int[] Gold = [1, 0, 0, 1, 1, 0, 1, 0];

    [Test]
    public void AccuracyCountsMatches() => Assert.That(Metrics.Accuracy(Predicted, Gold), Is.EqualTo(6.0 / 8));

    [Test]
    public void F1OfThePositiveClass()
    {
        // F1 = 2TP / (2TP + FP + FN) = 6 / 8 = 0.75; for class 0: TP=3, FP=1, FN=1 → 0.75 too.
        Assert.That(Metrics.F1(Predicted, Gold), Is.EqualTo(0.75).Within(1e-12));
        // predicted 1 1 1 0, gold 1 0 0 1: TP=1 FP=2 FN=1 → 2/(2+2+1) = 0.4
        Assert.That(Metrics.F1([1, 1, 1, 0], [1, 0, 0, 1]), Is.EqualTo(0.4).Within(1e-12));
        Assert.That(Metrics.F1([0, 0], [1, 0]), Is.EqualTo(0));
    }

    [Test]
    public void MatthewsCorrelation()
    {
        // (TP·TN − FP·FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (9 − 1) / sqrt(4·4·4·4) = 8/16 = 0.5
        Assert.That(Metrics.Matthews(Predicted, Gold), Is.EqualTo(0.5).Within(1e-12));
        // predicted 1 1 1 0 0, gold 1 1 0 0 0: TP=2 FP=1 FN=0 TN=2 → (4 − 0)/sqrt(3·2·3·2) = 4/6
        Assert.That(Metrics.Matthews([1, 1, 1, 0, 0], [1, 1, 0, 0, 0]), Is.EqualTo(4.0 / 6).Within(1e-12));
        Assert.That(Metrics.Matthews([1, 1, 1], [1, 0, 1]), Is.EqualTo(0), "a constant prediction has no correlation");
        Assert.That(Metrics.Matthews([0, 1, 0, 1], [1, 0, 1, 0]), Is.EqualTo(-1).Within(1e-12));
    }

    [Test]
    public void PearsonCorrelation()
    {
        // x = 1 2 3 4, y = 2 4 5 9: means 2.5, 5; dx = -1.5 -.5 .5 1.5; dy = -3 -1 0 4
        // cov = 4.5 + .5 + 0 + 6 = 11; Σdx² = 5; Σdy² = 9+1+0+16 = 26 → 11 / sqrt(130)
        Assert.That(Metrics.Pearson([1, 2, 3, 4], [2, 4, 5, 9]), Is.EqualTo(11 / Math.Sqrt(130)).Within(1e-12));
    }

    [Test]
    public void SpearmanUsesAverageRanksForTies()
    {
        // x = 10 20 20 40 → ranks 1 2.5 2.5 4; y = 1 3 2 4 → ranks 1 3 2 4
        // means 2.5; dx = -1.5 0 0 1.5; dy = -1.5 .5 -.5 1.5; cov = 2.25+0+0+2.25 = 4.5
        // Σdx² = 4.5, Σdy² = 2.25+.25+.25+2.25 = 5 → 4.5 / sqrt(22.5)
        Assert.That(Metrics.AverageRanks([10, 20, 20, 40]), Is.EqualTo(new[] { 1, 2.5, 2.5, 4 }));
        Assert.That(Metrics.Spearman([10, 20, 20, 40], [1, 3, 2, 4]), Is.EqualTo(4.5 / Math.Sqrt(22.5)).Within(1e-12));
        Assert.That(Metrics.Spearman([1, 2, 3], [1, 8, 27]), Is.EqualTo(1).Within(1e-12));
    }

    [Test]
    public void MismatchedLengthsAreRejected() =>
        Assert.Throws<ArgumentException>(() => Metrics.Accuracy([1, 0], [1]));

    [Test]
    public void TaskSpecScoresWithItsOfficialMetrics()
    {
        var mrpc = TaskCatalog.Spec("MRPC");
        var score = mrpc.Score(Predicted, Gold);
        Assert.That(score.PrimaryMetric, Is.EqualTo(MetricKind.F1));
        Assert.That(score.Values[MetricKind.Accuracy], Is.EqualTo(0.75));
        var cola = TaskCatalog.Spec("cola").Score(Predicted, Gold);
        Assert.That(cola.Primary, Is.EqualTo(0.5).Within(1e-12));
        var stsb = TaskCatalog.Spec("STS-B").Score([1.0, 2, 3, 4], [2.0, 4, 5, 9]);
        Assert.That(stsb.Values.Keys, Is.EquivalentTo(new[] { MetricKind.Pearson, MetricKind.Spearman }));
        Assert.That(stsb.Values[MetricKind.Spearman], Is.EqualTo(1).Within(1e-12));
        Assert.Throws<InvalidOperationException>(() => TaskCatalog.Spec("stsb").Score(Predicted, Gold));
    }
}
