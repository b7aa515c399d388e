using NUnit.Framework;
using Probing.Probing.Protocols;
using Probing.Training.Pretraining;
using Probing.Workbench.Commands;
using Probing.Workbench.Reporting;

namespace Probing.Tests.Reporting;

public class BaseEncoderReportTests
{
    [Test]
    public void TableShowsFinishedCellsTheirRatioAndGoalsAndNamesTheCellsNotRun()
    {
        var mini = new ScalingCell(ScalingGrid.Size("4x256"), 60);
        var small = new ScalingCell(ScalingGrid.Size("4x512"), 15);
        var evaluation = new MaskedLmEvaluation(0.18, 0.05, 4.0, 9000, "the");
        var gaps = new[] { ("a", 12.0), ("b", 11.0), ("c", 10.5), ("d", 1.0) }
            .Select(t => new GapSummary(t.Item1, 256, 60, 60 - t.Item2, t.Item2, 1.0, 3)).ToList();
        var result = new ScalingResult(new PretrainingOutcome(evaluation, 1000, 10, 9086, 300_000, 3000, 14_000, 3720), 5_600_000, gaps);

        var markdown = BaseEncoderReport.Markdown([mini, small], [result, null], GapSettings.Default with { TrainLimits = [256] });

        // 0.18 / 0.05 = 3.60×; mean gap (12 + 11 + 10.5 + 1) / 4 = 8.625 → +8.6; three tasks ≥ 10 pts; 3,720 s = 62 min.
        Assert.That(markdown, Does.Contain("| 4x256 | 5.6 M | 60 min | 5,600 | 62 min | 18.0 % | 5.0 % | 3.60× | - | +8.6 | 3 |"));
        Assert.That(markdown, Does.Contain("| 4x512 | | 15 min | 500 | not run |"), "15 min at 2.0 s a step = 450 steps → 500");
        Assert.That(markdown, Does.Contain("| d | +1.0 ± 1.0 ✗ |"));
        Assert.That(markdown, Does.Contain("unigram baseline: met by 4x256-60min."));
        Assert.That(markdown, Does.Contain("Not run yet: 4x512-15min"));
        Assert.That(markdown, Does.Contain($"`workbench pretrain --preset base`): {ScalingGrid.ShippedBase.Name}."));
    }

    [TestCase(new[] { 2 }, "")]
    [TestCase(new[] { 1 }, " (1 thread)")]
    [TestCase(new[] { 1, 2 }, " (1, then 2 threads)")]
    public void TrainingTimeNamesEveryThreadCountButTheReferenceTwo(int[] threads, string expected) =>
        Assert.That(BaseEncoderReport.ThreadsNote(threads), Is.EqualTo(expected));

    [Test]
    public void CurvesHaveOneLinePerSizeOverAscendingBudgetsWithGapsWhereACellDidNotRun()
    {
        ScalingCell[] cells = [new(ScalingGrid.Size("2x128"), 60), new(ScalingGrid.Size("4x256"), 15), new(ScalingGrid.Size("2x128"), 15)];
        ScalingResult Result(double masked) =>
            new(new PretrainingOutcome(new MaskedLmEvaluation(masked, 0.05, 4.0, 9000, "the"), 1000, 10, 9086, 300_000, 3000, 14_000, 900), 1_600_000, []);

        var series = BaseEncoderReport.CurveSeries(cells, [Result(0.15), null, Result(0.10)],
            r => r.Pretraining.Evaluation.MaskedAccuracy / r.Pretraining.Evaluation.UnigramAccuracy);

        Assert.That(series.Select(s => s.Name), Is.EqualTo(new[] { "2x128", "4x256" }));
        // Budgets ascend (15, then 60): 0.10 / 0.05 = 2, then 0.15 / 0.05 = 3; 4x256 was not run at 15 and has no 60-min cell.
        Assert.That(series[0].Cells.Select(c => c?.Summary.Mean), Is.EqualTo(new double?[] { 2.0, 3.0 }).Within(1e-12));
        Assert.That(series[1].Cells, Is.EqualTo(new Cell?[] { null, null }));
        var markdown = BaseEncoderReport.Markdown(cells, [Result(0.15), null, Result(0.10)], GapSettings.Default with { TrainLimits = [null, 256] });
        Assert.That(markdown, Does.Contain("![base-encoder-mlm](base-encoder-mlm.png)").And.Contain("(base-encoder-gap-256.png)").And.Contain("(base-encoder-gap-all.png)"));
    }
}
