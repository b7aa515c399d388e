using NUnit.Framework;
using Probing.Workbench.Reporting;
using ScottPlot;
using ScottPlot.Plottables;

namespace Probing.Tests.Reporting;

/// <summary>What every figure promises: per-seed points, intervals cut at the metric's range and marked, negative values drawn with zero in view.</summary>
public class ChartsTests
{
    static Cell Seeds(params double[] values) => new([.. values.Select((v, i) => new SeedPoint(i + 1, v))]);

    static List<Marker> Markers(Plot plot, MarkerShape shape) => [.. plot.GetPlottables().OfType<Marker>().Where(m => m.MarkerShape == shape)];

    /// <summary>Two seeds at 99 and 60: t(1) = 12.7 puts the interval at 79.5 ± 247.8, far past 100 % and below 0 %.</summary>
    [Test]
    public void AnIntervalPastTheMetricsRangeIsCutThereAndMarked()
    {
        var figure = Charts.GroupedBars("clip", "task", ValueAxis.Score("dev", "accuracy"), ["fine-foods"], [new Series("standard", [Seeds(99, 60)])]);
        var bar = figure.Plot.GetPlottables().OfType<ErrorBar>().Single();
        Assert.That(bar.Ys[0] + bar.YErrorPositive![0], Is.EqualTo(100).Within(1e-9), "the interval's top is cut at 100 %");
        Assert.That(bar.Ys[0] - bar.YErrorNegative![0], Is.EqualTo(0).Within(1e-9), "and its bottom at 0 %");
        Assert.That(Markers(figure.Plot, MarkerShape.FilledTriangleUp).Select(m => m.Location.Y), Is.EqualTo(new[] { 100.0 }), "the cut is marked");
        Assert.That(Markers(figure.Plot, MarkerShape.FilledTriangleDown).Select(m => m.Location.Y), Is.EqualTo(new[] { 0.0 }));
        Assert.That(figure.Clipped && figure.Notes.Contains("cut at the end of the metric's range"));
        var limits = figure.Plot.Axes.GetLimits();
        Assert.That(limits.Top, Is.LessThan(103), "the axis does not run far past the possible range");
        Assert.That(limits.Bottom, Is.GreaterThan(-3));
    }

    /// <summary>Generators at ROUGE-L 8–10 against a lead band at 23.7–29.2: the band is in view, above the bars.</summary>
    [Test]
    public void ABaselineBandFarAboveTheBarsIsInView()
    {
        var figure = Charts.GroupedBars("band", "task", ValueAxis.Score("dev", "rougeL"), ["debian-headlines"], [new Series("standard", [Seeds(8, 9, 10)])]);
        Assert.That(figure.Plot.Axes.GetLimits().Top, Is.LessThan(20), "fitted to the bars first");
        Charts.Band(figure, -0.45, 0.45, 23.7, 29.2, "no-skill baseline, 95 % CI");
        var limits = figure.Plot.Axes.GetLimits();
        Assert.That(limits.Top, Is.GreaterThan(29.2), "the band's top is inside the axis");
        Assert.That(limits.Bottom, Is.LessThanOrEqualTo(0), "and the bars still start in view");
    }

    [Test]
    public void AnIntervalInsideTheRangeIsNotMarked()
    {
        var figure = Charts.GroupedBars("no clip", "task", ValueAxis.Score("dev", "accuracy"), ["fine-foods"], [new Series("standard", [Seeds(80, 81, 79)])]);
        Assert.That(figure.Clipped, Is.False);
        Assert.That(Markers(figure.Plot, MarkerShape.FilledTriangleUp), Is.Empty);
    }

    /// <summary>An STS-B Pearson of −0.59 (×100): the bar goes down from zero, and zero is on the axis.</summary>
    [Test]
    public void ANegativeScoreIsDrawnWithZeroInView()
    {
        var figure = Charts.GroupedBars("negative", "task", ValueAxis.Score("dev", "pearson"), ["stsb"], [new Series("standard", [Seeds(-59, -61, -57)])]);
        var bar = figure.Plot.GetPlottables().OfType<BarPlot>().Single().Bars.Single();
        Assert.That((bar.Value, bar.ValueBase), Is.EqualTo((-59.0, 0.0)));
        var limits = figure.Plot.Axes.GetLimits();
        Assert.That(limits.Bottom, Is.LessThan(-61), "every seed is inside the axis");
        Assert.That(limits.Top, Is.GreaterThanOrEqualTo(0), "zero is in view");
        Assert.That(figure.Plot.GetPlottables().OfType<HorizontalLine>().Any(l => l.Y == 0), "a zero line");

        var line = Charts.Lines("negative", "stage", ValueAxis.Score("dev", "matthews"), ["base", "cola-proxy"], [new Series("standard", [Seeds(-5, -7), Seeds(10, 12)])]);
        Assert.That(line.Plot.Axes.GetLimits().Bottom, Is.LessThan(-7));
    }

    [Test]
    public void EverySeedIsAPointAndAFlaggedSeedACross()
    {
        var cell = new Cell([new SeedPoint(1, 80), new SeedPoint(2, 81), new SeedPoint(3, 50, Flagged: true)]);
        var figure = Charts.GroupedBars("points", "task", ValueAxis.Score("dev", "accuracy"), ["a", "b"], [new Series("standard", [cell, Seeds(70, 71)])]);
        var rims = Markers(figure.Plot, MarkerShape.FilledCircle).Where(m => m.MarkerColor == Color.FromHex("#333333")).ToList();
        Assert.That(rims.Select(m => m.Location.Y), Is.EquivalentTo(new[] { 80.0, 81.0, 70.0, 71.0 }), "a point per seed that learned");
        Assert.That(Markers(figure.Plot, MarkerShape.Eks).Select(m => m.Location.Y), Is.EqualTo(new[] { 50.0 }));
        Assert.That(figure.Flagged && figure.Notes.Contains("did not learn"));
    }
}
