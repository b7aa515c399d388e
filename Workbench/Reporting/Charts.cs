using ScottPlot;

namespace Probing.Workbench.Reporting;

/// <summary>A point estimate with its 95 % interval half-width (0 when there is one seed).</summary>
public readonly record struct Estimate(double Mean, double HalfWidth)
{
    public static Estimate Of(IReadOnlyCollection<double> values)
    {
        var summary = Summary.Of(values);
        return new Estimate(summary.Mean, summary.CiHalfWidth);
    }
}

/// <summary>One named series (a method) of estimates over categories or positions.</summary>
public sealed record Series(string Name, IReadOnlyList<Estimate?> Points);

/// <summary>The figure kinds the reports use, each drawn the same way everywhere.</summary>
public static class Charts
{
    /// <summary>Bars per category, one per series side by side, with 95 % CI error bars.</summary>
    public static Plot GroupedBars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<Series> series, string xLabel = "")
    {
        var plot = ChartStyle.NewPlot(title, xLabel, yLabel);
        double width = 0.8 / Math.Max(1, series.Count);
        for (int s = 0; s < series.Count; s++)
        {
            var bars = new List<Bar>();
            for (int c = 0; c < categories.Count; c++)
            {
                if (series[s].Points[c] is not { } point) continue;
                bars.Add(new Bar
                {
                    Position = c - 0.4 + width * (s + 0.5), Value = point.Mean, Error = point.HalfWidth, Size = width * 0.9,
                    FillColor = ChartStyle.ColourOf(series[s].Name), LineColor = Colors.Black, LineWidth = 1,
                    ErrorSize = width * 0.3,   // error bars use the outline pen
                });
            }
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = series[s].Name;
        }
        SetCategoryTicks(plot, categories);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0);
        if (yLabel.Contains("(%)", StringComparison.Ordinal)) KeepWithinPercent(plot, series, fromZero: true);
        FinishLegend(plot);
        return plot;
    }

    /// <summary>Lines over ordered positions (stages, layers), one per series, with 95 % CI error bars.</summary>
    public static Plot Lines(string title, string xLabel, string yLabel, IReadOnlyList<string> positions, IReadOnlyList<Series> series)
    {
        var plot = ChartStyle.NewPlot(title, xLabel, yLabel);
        foreach (var line in series)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            var errors = new List<double>();
            for (int p = 0; p < positions.Count; p++)
            {
                if (line.Points[p] is not { } point) continue;
                xs.Add(p);
                ys.Add(point.Mean);
                errors.Add(point.HalfWidth);
            }
            var colour = ChartStyle.ColourOf(line.Name);
            var scatter = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), colour);
            scatter.LegendText = line.Name;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 7;
            var bars = plot.Add.ErrorBar(xs.ToArray(), ys.ToArray(), errors.ToArray());
            bars.Color = colour;
        }
        SetCategoryTicks(plot, positions);
        plot.Axes.SetLimitsX(-0.3, positions.Count - 0.7);   // every position, even one no series reached
        if (yLabel.Contains("(%)", StringComparison.Ordinal)) KeepWithinPercent(plot, series);
        FinishLegend(plot);
        return plot;
    }

    /// <summary>
    /// One named tick per position; slanted when side by side the labels would run into each other (a
    /// retention study has a dozen stages). Widths are estimated for the 12-pt DejaVu Sans at the saved size.
    /// </summary>
    static void SetCategoryTicks(Plot plot, IReadOnlyList<string> labels)
    {
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, labels.Count).Select(i => (double)i)], [.. labels]);
        if (labels.Count == 0) return;
        const double pixelsPerCharacter = 6.5, dataAreaPixels = 700, gapPixels = 6;
        var longest = labels.Max(l => l.Length) * pixelsPerCharacter;
        if (longest + gapPixels <= dataAreaPixels / labels.Count) return;
        plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = (float)(longest * Math.Sqrt(0.5) + 40);
    }

    /// <summary>
    /// Scores in % cannot leave [0, 100], but a t-interval over two seeds can: the axis stays inside the
    /// possible range (an error bar may then run off the edge, which says "very uncertain" just as well).
    /// </summary>
    /// <param name="fromZero">Bars start at 0, so their axis does too.</param>
    static void KeepWithinPercent(Plot plot, IReadOnlyList<Series> series, bool fromZero = false)
    {
        var points = series.SelectMany(s => s.Points).OfType<Estimate>().ToList();
        if (points.Count == 0) return;
        var low = fromZero ? 0 : Math.Max(0, points.Min(p => p.Mean - p.HalfWidth));
        var high = Math.Min(100, points.Max(p => p.Mean + p.HalfWidth));
        var pad = Math.Max(1, (high - low) * 0.05);
        plot.Axes.SetLimitsY(fromZero ? 0 : Math.Max(0, low - pad), Math.Min(100, high + pad));
    }

    /// <summary>One dot per run (x, y) coloured by series, plus each series' mean with 95 % CI crosshairs.</summary>
    public static Plot Scatter(string title, string xLabel, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y)> Points)> groups)
    {
        var plot = ChartStyle.NewPlot(title, xLabel, yLabel);
        foreach (var (name, points) in groups)
        {
            var colour = ChartStyle.ColourOf(name);
            var dots = plot.Add.ScatterPoints(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), colour);
            dots.MarkerSize = 6;
            dots.LegendText = name;
            var x = Estimate.Of(points.Select(p => p.X).ToList());
            var y = Estimate.Of(points.Select(p => p.Y).ToList());
            var mean = new ScottPlot.Plottables.ErrorBar([x.Mean], [y.Mean], [x.HalfWidth], [x.HalfWidth], [y.HalfWidth], [y.HalfWidth])
            {
                Color = colour, LineWidth = 2,
            };
            plot.Add.Plottable(mean);
        }
        FinishLegend(plot);
        return plot;
    }

    /// <summary>A black dashed horizontal reference line (a goal, a baseline) with its label in the legend.</summary>
    public static void ReferenceLine(Plot plot, double y, string label)
    {
        var line = plot.Add.HorizontalLine(y);
        line.Color = Colors.Black;
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = label;
    }

    /// <summary>The legend beside the plot area, so it never hides a line or a bar.</summary>
    static void FinishLegend(Plot plot) => plot.ShowLegend(Edge.Right);
}
