using Probing.Training.Data.Embedded;

namespace Probing.Training.Evaluation;

/// <summary>How a bootstrap confidence interval is drawn: resamples, coverage and the seed of its own random stream.</summary>
public sealed record BootstrapSettings(int Samples = 1000, double Confidence = 0.95, ulong Seed = 1)
{
    public static readonly BootstrapSettings Default = new();

    public void Validate()
    {
        if (Samples < 1) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "at least one resample");
        if (Confidence is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "between 0 and 1");
    }
}

/// <summary>A mean and its percentile-bootstrap confidence interval.</summary>
public readonly record struct MeanInterval(double Mean, double Low, double High)
{
    public double HalfWidth => (High - Low) / 2;
}

/// <summary>
/// Percentile bootstrap of the mean over independent units (documents): each resample draws the
/// units with replacement, every column of one resample uses the same draw (as rouge-score's
/// <c>BootstrapAggregator</c> resamples rows of its score matrix), and the interval is the
/// (1 − c)/2 and (1 + c)/2 percentiles of the resampled means, interpolated linearly between
/// order statistics (numpy's default). The stream is SplitMix64 from the seed, so an interval is
/// the same on every machine; unlike rouge-score, whose <c>mid</c> is the median of the resampled
/// means, <see cref="MeanInterval.Mean"/> is the plain mean of the data.
/// </summary>
public static class Bootstrap
{
    /// <param name="columns">Per column, one value per unit; all columns have the same length.</param>
    public static IReadOnlyList<MeanInterval> MeanIntervals(IReadOnlyList<IReadOnlyList<double>> columns, BootstrapSettings? settings = null)
    {
        settings ??= BootstrapSettings.Default;
        settings.Validate();
        if (columns.Count == 0) return [];
        var units = columns[0].Count;
        if (units == 0) throw new ArgumentException("no units to resample");
        if (columns.Any(c => c.Count != units)) throw new ArgumentException("columns differ in length");
        var means = columns.Select(_ => new double[settings.Samples]).ToArray();
        var random = new StableRandom(settings.Seed);
        var draw = new int[units];
        for (var b = 0; b < settings.Samples; b++)
        {
            for (var i = 0; i < units; i++) draw[i] = random.Next(units);
            for (var c = 0; c < columns.Count; c++) means[c][b] = MeanOf(columns[c], draw);
        }
        var tail = (1 - settings.Confidence) / 2;
        var identity = Enumerable.Range(0, units).ToArray();
        return columns.Select((column, c) =>
        {
            Array.Sort(means[c]);
            return new MeanInterval(MeanOf(column, identity), Percentile(means[c], tail), Percentile(means[c], 1 - tail));
        }).ToList();
    }

    public static MeanInterval MeanInterval(IReadOnlyList<double> values, BootstrapSettings? settings = null) =>
        MeanIntervals([values], settings)[0];

    /// <summary>The q-quantile (0 ≤ q ≤ 1) of sorted values, linear between order statistics (numpy's default).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    /// <summary>Summed in draw order, then divided: identical values give exactly the same mean in every resample.</summary>
    static double MeanOf(IReadOnlyList<double> values, int[] draw)
    {
        var sum = 0.0;
        foreach (var i in draw) sum += values[i];
        return sum / draw.Length;
    }
}
