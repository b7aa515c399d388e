using ScottPlot;

namespace Probing.Workbench.Reporting;

/// <summary>One seed's value in a figure (in the figure's units); <see cref="Flagged"/>: a run behind it did not learn its task.</summary>
public sealed record SeedPoint(int Seed, double Value, bool Flagged = false);

/// <summary>The values of one series at one category or position: a point per seed, their mean and 95 % interval.</summary>
public sealed record Cell(IReadOnlyList<SeedPoint> Points)
{
    public Summary Summary { get; } = Summary.Of([.. Points.Select(p => p.Value)]);

    /// <param name="scale">Multiplies every value (100 turns a fraction into points).</param>
    public static Cell? Of(IReadOnlyDictionary<int, SeedValue>? values, double scale = 1) =>
        values is null || values.Count == 0 ? null
            : new([.. values.OrderBy(kv => kv.Key).Select(kv => new SeedPoint(kv.Key, scale * kv.Value.Value, !kv.Value.Learned))]);
}

/// <summary>One named series (a method, or a reference) of cells over categories or positions.</summary>
public sealed record Series(string Name, IReadOnlyList<Cell?> Cells);

/// <summary>
/// A value axis: its label (one metric per axis) and the range its quantity can take — [0, 100] for an
/// accuracy in %, [−100, 100] for a correlation ×100, [0, 1] for CKA, [0, ∞) for a time. Intervals are
/// cut at that range, and the cut is marked.
/// </summary>
public sealed record ValueAxis(string Label, double? Min = null, double? Max = null)
{
    /// <summary>A score in points: "dev accuracy (%)" in [0, 100], or a correlation "dev matthews (×100)" in [−100, 100].</summary>
    public static ValueAxis Score(string what, string metric) => metric switch
    {
        "accuracy" or "f1" => new($"{what} {metric} (%)", 0, 100),
        _ => new($"{what} {metric} (×100)", -100, 100),
    };

    public static ValueAxis NonNegative(string label) => new(label, 0);

    public double Clip(double value) => Math.Clamp(value, Min ?? double.NegativeInfinity, Max ?? double.PositiveInfinity);
}

/// <summary>A drawn figure and what its caption must say: whether an interval was cut at the axis range, whether a run is flagged.</summary>
public sealed record Figure(Plot Plot, bool Clipped, bool Flagged)
{
    /// <summary>The sentences a caption adds for the marks this figure carries.</summary>
    public string Notes =>
        (Clipped ? " Triangles: a 95 % interval cut at the end of the metric's range." : "")
        + (Flagged ? " ×: a seed whose fine-tuning did not learn its own task (\"task not learned\")." : "");
}

/// <summary>
/// The figure kinds the reports use, each drawn the same way everywhere: one metric per value axis, a
/// point per seed over every bar and line, 95 % intervals cut at the metric's range with the cut marked,
/// and zero inside the axis whenever a value is negative.
/// </summary>
public static class Charts
{
    static readonly Color PointColour = Color.FromHex("#333333");
    const float PointSize = 7, FlagSize = 10, ClipSize = 9;

    /// <summary>Bars (the mean over seeds, from zero) per category, one per series side by side, with their seeds' points and 95 % intervals.</summary>
    public static Figure GroupedBars(string title, string xLabel, ValueAxis axis, IReadOnlyList<string> categories, IReadOnlyList<Series> series)
    {
        var plot = ChartStyle.NewPlot(title, xLabel, axis.Label);
        var marks = new Marks(plot, axis);
        double width = 0.8 / Math.Max(1, series.Count);
        double X(int s, int c) => c - 0.4 + width * (s + 0.5);
        for (int s = 0; s < series.Count; s++)
        {
            var bars = new List<Bar>();
            for (int c = 0; c < categories.Count; c++)
                if (series[s].Cells[c] is { } cell)
                    bars.Add(new Bar
                    {
                        Position = X(s, c), Value = cell.Summary.Mean, ValueBase = 0, Size = width * 0.9,
                        FillColor = ChartStyle.ColourOf(series[s].Name), LineColor = Colors.Black, LineWidth = 1,
                    });
            if (bars.Count > 0) plot.Add.Bars(bars).LegendText = series[s].Name;
        }
        // Intervals and points after every bar, so no bar hides them.
        for (int s = 0; s < series.Count; s++)
            for (int c = 0; c < categories.Count; c++)
            {
                if (series[s].Cells[c] is not { } cell) continue;
                marks.Interval(X(s, c), cell, Colors.Black, width * 0.3);
                marks.SeedPoints(X(s, c), width * 0.5, cell, Colors.White);
                marks.Include(0);
            }
        SetCategoryTicks(plot, categories);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsX(-0.5, categories.Count - 0.5);
        return marks.Finish();
    }

    /// <summary>Lines of the mean over ordered positions (stages, layers), one per series, with each seed's point and the 95 % interval.</summary>
    public static Figure Lines(string title, string xLabel, ValueAxis axis, IReadOnlyList<string> positions, IReadOnlyList<Series> series)
    {
        var plot = ChartStyle.NewPlot(title, xLabel, axis.Label);
        var marks = new Marks(plot, axis);
        // Series sit side by side around each position so their points and intervals do not hide each other.
        double Dodge(int s) => series.Count == 1 ? 0 : 0.16 * (s - (series.Count - 1) / 2.0) / (series.Count - 1);
        for (int s = 0; s < series.Count; s++)
        {
            var present = Enumerable.Range(0, positions.Count).Where(p => series[s].Cells[p] is not null).ToList();
            var line = plot.Add.Scatter(present.Select(p => p + Dodge(s)).ToArray(), present.Select(p => series[s].Cells[p]!.Summary.Mean).ToArray(),
                ChartStyle.ColourOf(series[s].Name));
            line.LegendText = series[s].Name;
            line.LineWidth = 2;
            line.MarkerSize = 0;
        }
        // Intervals and points after every line, so no line hides them.
        for (int s = 0; s < series.Count; s++)
            for (int p = 0; p < positions.Count; p++)
            {
                if (series[s].Cells[p] is not { } cell) continue;
                var colour = ChartStyle.ColourOf(series[s].Name);
                marks.Interval(p + Dodge(s), cell, colour, 0.05);
                marks.SeedPoints(p + Dodge(s), 0, cell, colour);
            }
        SetCategoryTicks(plot, positions);
        plot.Axes.SetLimitsX(-0.4, positions.Count - 0.6);   // every position, even one no series reached
        return marks.Finish();
    }

    /// <summary>
    /// Lines of the mean over a numeric x (fine-tuning steps), one per series, with a translucent 95 % band
    /// (cut at the axis' range, each cut marked), and every seed as a thin line of its own with its points.
    /// </summary>
    public static Figure StepLines(string title, string xLabel, ValueAxis axis, IReadOnlyList<(string Name, IReadOnlyList<(double X, Cell Cell)> Points)> series)
    {
        var plot = ChartStyle.NewPlot(title, xLabel, axis.Label);
        var marks = new Marks(plot, axis);
        bool seedInLegend = false;
        foreach (var (name, points) in series)
        {
            var colour = ChartStyle.ColourOf(name);
            var banded = points.Where(p => p.Cell.Summary.Count >= 2 && double.IsFinite(p.Cell.Summary.CiLow)).ToList();
            if (banded.Count > 1)
            {
                var lows = banded.Select(p => axis.Clip(p.Cell.Summary.CiLow)).ToList();
                var highs = banded.Select(p => axis.Clip(p.Cell.Summary.CiHigh)).ToList();
                Coordinates[] outline = [.. banded.Select((p, i) => new Coordinates(p.X, highs[i])), .. banded.Select((p, i) => new Coordinates(p.X, lows[i])).Reverse()];
                var band = plot.Add.Polygon(outline);
                band.FillColor = colour.WithAlpha(0.18);
                band.LineWidth = 0;
                for (int i = 0; i < banded.Count; i++)
                {
                    var s = banded[i].Cell.Summary;
                    marks.Include(lows[i]);
                    marks.Include(highs[i]);
                    if (lows[i] > s.CiLow) marks.ClipMark(banded[i].X, lows[i], MarkerShape.FilledTriangleDown, colour);
                    if (highs[i] < s.CiHigh) marks.ClipMark(banded[i].X, highs[i], MarkerShape.FilledTriangleUp, colour);
                }
            }
            foreach (var seed in points.SelectMany(p => p.Cell.Points.Select(q => q.Seed)).Distinct().Order())
            {
                var path = points.SelectMany(p => p.Cell.Points.Where(q => q.Seed == seed).Select(q => (p.X, q))).ToList();
                var thin = plot.Add.Scatter(path.Select(p => p.X).ToArray(), path.Select(p => p.q.Value).ToArray(), colour.WithAlpha(0.55));
                thin.LineWidth = 1;
                thin.MarkerSize = 4;
                if (!seedInLegend) thin.LegendText = "one seed";
                seedInLegend = true;
                foreach (var (x, point) in path)
                {
                    marks.Include(point.Value);
                    if (point.Flagged) marks.Flag(x, point.Value, Colors.Black);
                }
            }
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Cell.Summary.Mean).ToArray(), colour);
            line.LegendText = name;
            line.LineWidth = 2.5f;
            line.MarkerSize = 0;
            foreach (var p in points) marks.Include(p.Cell.Summary.Mean);
        }
        var xs = series.SelectMany(s => s.Points.Select(p => p.X)).ToList();
        if (xs.Count > 0)
        {
            double left = xs.Min(), right = xs.Max(), pad = 0.02 * Math.Max(1, right - left);
            plot.Axes.SetLimitsX(left - pad, right + pad);
        }
        return marks.Finish();
    }

    /// <summary>One point per run (x, y) coloured by series, plus each series' mean with 95 % intervals on both axes.</summary>
    public static Figure Scatter(string title, ValueAxis xAxis, ValueAxis yAxis, IReadOnlyList<(string Name, IReadOnlyList<(double X, SeedPoint Y)> Points)> groups)
    {
        var plot = ChartStyle.NewPlot(title, xAxis.Label, yAxis.Label);
        var marks = new Marks(plot, yAxis);
        foreach (var (name, points) in groups)
        {
            var colour = ChartStyle.ColourOf(name);
            var learned = points.Where(p => !p.Y.Flagged).ToList();
            var dots = plot.Add.Markers(learned.Select(p => p.X).ToArray(), learned.Select(p => p.Y.Value).ToArray(), MarkerShape.FilledCircle, 7, colour);
            dots.LegendText = name;
            foreach (var p in points.Where(p => p.Y.Flagged)) marks.Flag(p.X, p.Y.Value, colour);
            var x = Summary.Of([.. points.Select(p => p.X)]);
            var y = new Cell([.. points.Select(p => p.Y)]);
            foreach (var p in points) marks.Include(p.Y.Value);
            marks.Interval(x.Mean, y, colour, 0);
            if (points.Count > 1)
            {
                var (low, high) = (xAxis.Clip(x.CiLow), xAxis.Clip(x.CiHigh));
                plot.Add.Plottable(new ScottPlot.Plottables.ErrorBar([x.Mean], [y.Summary.Mean], [high - x.Mean], [x.Mean - low], [0.0], [0.0]) { Color = colour, LineWidth = 2 });
                if (low > x.CiLow) marks.ClipMark(low, y.Summary.Mean, MarkerShape.FilledTriangleDown, colour);
                if (high < x.CiHigh) marks.ClipMark(high, y.Summary.Mean, MarkerShape.FilledTriangleUp, colour);
            }
        }
        return marks.Finish();
    }

    /// <summary>
    /// The no-skill band of one category (between x-positions): a translucent grey rectangle from its low to
    /// its high end drawn over the bars, and a line at the high end, the bar a run must clear (solid: SVG
    /// export drops dash patterns).
    /// </summary>
    public static void Band(Figure figure, double left, double right, double low, double high, string? label)
    {
        var band = figure.Plot.Add.Rectangle(left, right, low, high);
        band.FillColor = Colors.Gray.WithAlpha(0.35);
        band.LineWidth = 0;
        var line = figure.Plot.Add.Line(left, high, right, high);
        line.LineColor = Colors.Black;
        line.LineWidth = 1.5f;
        if (label is not null) band.LegendText = label;
        // The band is drawn after the axis was fitted to the data: widen it so a bar far below (or above) the band still shows the band.
        var limits = figure.Plot.Axes.GetLimits();
        if (low < limits.Bottom || high > limits.Top)
        {
            double bottom = Math.Min(limits.Bottom, low), top = Math.Max(limits.Top, high), pad = 0.06 * (top - bottom);
            figure.Plot.Axes.SetLimitsY(low < limits.Bottom ? bottom - pad : bottom, high > limits.Top ? top + pad : top);
        }
    }

    /// <summary>A black dashed horizontal reference line (a goal, a baseline) with its label in the legend.</summary>
    public static void ReferenceLine(Plot plot, double y, string label)
    {
        var line = plot.Add.HorizontalLine(y);
        line.Color = Colors.Black;
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = label;
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
    /// What every figure kind draws the same way: seed points, flags, clipped intervals, and the value
    /// axis' limits (everything drawn, zero when a value is negative, never beyond the metric's range).
    /// </summary>
    sealed class Marks(Plot plot, ValueAxis axis)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        bool clipped, flagged, pointsInLegend;

        public void Include(double y)
        {
            if (!double.IsFinite(y)) return;
            low = Math.Min(low, y);
            high = Math.Max(high, y);
        }

        /// <summary>The 95 % interval of a cell (two seeds or more), cut at the axis' range with a triangle at each cut end.</summary>
        public void Interval(double x, Cell cell, Color colour, double capWidth)
        {
            var s = cell.Summary;
            Include(s.Mean);
            if (s.Count < 2 || !double.IsFinite(s.CiLow)) return;
            var (bottom, top) = (axis.Clip(s.CiLow), axis.Clip(s.CiHigh));
            plot.Add.Plottable(new ScottPlot.Plottables.ErrorBar([x], [s.Mean], [0.0], [0.0], [top - s.Mean], [s.Mean - bottom])
            {
                Color = colour, LineWidth = 1.5f, CapSize = capWidth > 0 ? 6 : 0,
            });
            Include(bottom);
            Include(top);
            if (bottom > s.CiLow) ClipMark(x, bottom, MarkerShape.FilledTriangleDown, colour);
            if (top < s.CiHigh) ClipMark(x, top, MarkerShape.FilledTriangleUp, colour);
        }

        public void ClipMark(double x, double y, MarkerShape shape, Color colour)
        {
            var mark = plot.Add.Marker(x, y, shape, ClipSize, colour);
            if (!clipped) mark.LegendText = "interval cut at range";
            clipped = true;
        }

        /// <summary>Each seed's value as a point spread across <paramref name="spread"/> around x; a flagged seed as a cross.</summary>
        public void SeedPoints(double x, double spread, Cell cell, Color fill)
        {
            var n = cell.Points.Count;
            for (int i = 0; i < n; i++)
            {
                var point = cell.Points[i];
                var px = x + (n == 1 ? 0 : spread * (i / (double)(n - 1) - 0.5));
                Include(point.Value);
                if (point.Flagged) { Flag(px, point.Value, Colors.Black); continue; }
                // A dark disc under a smaller one in the fill colour: a rimmed point that shows on black bars, light ones and its own line.
                var dot = plot.Add.Marker(px, point.Value, MarkerShape.FilledCircle, PointSize, PointColour);
                plot.Add.Marker(px, point.Value, MarkerShape.FilledCircle, PointSize - 2.5f, fill);
                if (!pointsInLegend) dot.LegendText = "one seed";
                pointsInLegend = true;
            }
        }

        public void Flag(double x, double y, Color colour)
        {
            var mark = plot.Add.Marker(x, y, MarkerShape.Eks, FlagSize, colour);
            mark.MarkerLineWidth = 2;
            if (!flagged) mark.LegendText = "task not learned";
            flagged = true;
            Include(y);
        }

        public Figure Finish()
        {
            if (double.IsFinite(low))
            {
                if (low < 0) high = Math.Max(high, 0);
                var span = high > low ? high - low : Math.Max(1e-3, Math.Abs(high) * 0.1);
                // Padding, but hardly any beyond the metric's range: a cut interval ends visibly at its edge.
                var lower = low - 0.06 * span;
                var upper = high + 0.06 * span;
                if (axis.Min is { } min) lower = Math.Max(lower, min - 0.02 * span);
                if (axis.Max is { } max) upper = Math.Min(upper, max + 0.02 * span);
                plot.Axes.SetLimitsY(lower, upper);
                if (lower < 0 && upper > 0)
                {
                    var zero = plot.Add.HorizontalLine(0);
                    zero.Color = Colors.Black;
                    zero.LineWidth = 1;
                }
            }
            plot.ShowLegend(Edge.Right);
            return new Figure(plot, clipped, flagged);
        }
    }
}
