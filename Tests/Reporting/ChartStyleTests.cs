using NUnit.Framework;
using Probing.Workbench.Reporting;
using SkiaSharp;

namespace Probing.Tests.Reporting;

public class ChartStyleTests
{
    [Test]
    public void FiguresCarryTheirTextEvenWithoutSystemFonts()
    {
        var directory = Directory.CreateTempSubdirectory("probing-chart-").FullName;
        var plot = ChartStyle.NewPlot("Collapse title", "stage", "accuracy (%)");
        plot.Add.Scatter(new double[] { 1, 2, 3 }, new double[] { 70, 65, 60 });
        ChartStyle.Save(plot, directory, "figure", 600, 400);

        Assert.That(File.ReadAllText(Path.Combine(directory, "figure.svg")), Does.Contain("Collapse title").And.Contain("accuracy (%)"));
        using var bitmap = SKBitmap.Decode(Path.Combine(directory, "figure.png"));
        int dark = 0;
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < bitmap.Width; x++)
                if (bitmap.GetPixel(x, y).Red < 100) dark++;
        Assert.That(dark, Is.GreaterThan(50), "the title band has drawn glyphs");
    }

    [Test]
    public void EveryMethodKeepsItsColour()
    {
        Assert.That(ChartStyle.ColourOf("r3f"), Is.EqualTo(ChartStyle.ColourOf("R3F")));
        Assert.That(ChartStyle.ColourOf("r3f"), Is.Not.EqualTo(ChartStyle.ColourOf("standard")));
        var first = ChartStyle.ColourOf("my-new-method");
        Assert.That(ChartStyle.ColourOf("my-new-method"), Is.EqualTo(first));
    }

    [Test]
    public void CrowdedStageLabelsAreSlantedAndFewOnesAreNot()
    {
        static Series Line(int count) => new("standard", [.. Enumerable.Range(0, count).Select(i => (Cell?)new Cell([new SeedPoint(1, 60 + i), new SeedPoint(2, 62 + i)]))]);
        var stages = Enumerable.Range(0, 13).Select(i => $"{i}:qnli-proxy").ToList();
        var axis = ValueAxis.Score("dev", "accuracy");
        var crowded = Charts.Lines("retention", "stage", axis, stages, [Line(stages.Count)]).Plot;
        var few = Charts.Lines("chain", "stage", axis, ["base", "fine-foods", "qnli-proxy"], [Line(3)]).Plot;

        Assert.That(crowded.Axes.Bottom.TickLabelStyle.Rotation, Is.Not.Zero);
        Assert.That(crowded.Axes.Bottom.MinimumSize, Is.GreaterThan(40), "room below the axis for the slanted labels");
        Assert.That(few.Axes.Bottom.TickLabelStyle.Rotation, Is.Zero);
    }

    [Test]
    public void ThePngHasTwiceThePixelsOfTheSvgLayout()
    {
        var directory = Directory.CreateTempSubdirectory("probing-chart-size-").FullName;
        ChartStyle.Save(ChartStyle.NewPlot("size", "x", "y"), directory, "figure");
        using var bitmap = SKBitmap.Decode(Path.Combine(directory, "figure.png"));
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((1800, 1080)));
        Assert.That(File.ReadAllText(Path.Combine(directory, "figure.svg")), Does.Contain("width=\"900\" height=\"540\""));
    }
}
