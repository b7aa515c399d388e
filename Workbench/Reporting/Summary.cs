using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace Probing.Workbench.Reporting;

/// <summary>
/// What the report says about one set of scores over seeds: n, mean ± sd, median, min, max and the
/// 95 % confidence interval of the mean (Student's t, so honest with few seeds).
/// </summary>
public sealed record Summary(int Count, double Mean, double StandardDeviation, double Median, double Min, double Max, double CiLow, double CiHigh)
{
    public double CiHalfWidth => (CiHigh - CiLow) / 2;

    public static Summary Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values to summarise", nameof(values));
        var mean = values.Mean();
        var sd = values.Count > 1 ? values.StandardDeviation() : 0;
        var half = values.Count > 1 ? StudentT.InvCDF(0, 1, values.Count - 1, 0.975) * sd / Math.Sqrt(values.Count) : 0;
        return new Summary(values.Count, mean, sd, values.Median(), values.Minimum(), values.Maximum(), mean - half, mean + half);
    }
}

/// <summary>A method against a baseline: mean difference, its 95 % CI, the test used and its two-sided p-value.</summary>
public sealed record Comparison(string Test, int Count, double MeanDifference, double CiLow, double CiHigh, double PValue)
{
    public bool Significant(double alpha = 0.05) => PValue < alpha;

    /// <summary>Paired t-test on per-seed differences (runs that share a seed share data order and initialisation).</summary>
    public static Comparison Paired(IReadOnlyList<double> method, IReadOnlyList<double> baseline)
    {
        if (method.Count != baseline.Count) throw new ArgumentException("paired samples differ in length");
        if (method.Count < 2) throw new ArgumentException("a paired test needs at least two pairs");
        var differences = method.Zip(baseline, (m, b) => m - b).ToList();
        var mean = differences.Mean();
        var se = differences.StandardDeviation() / Math.Sqrt(differences.Count);
        var degrees = differences.Count - 1;
        var half = StudentT.InvCDF(0, 1, degrees, 0.975) * se;
        return new Comparison("paired t", differences.Count, mean, mean - half, mean + half, TwoSidedP(mean, se, degrees));
    }

    /// <summary>Welch's t-test for runs that do not pair.</summary>
    public static Comparison Welch(IReadOnlyList<double> method, IReadOnlyList<double> baseline)
    {
        if (method.Count < 2 || baseline.Count < 2) throw new ArgumentException("Welch's test needs at least two values per group");
        double va = method.Variance() / method.Count, vb = baseline.Variance() / baseline.Count;
        var mean = method.Mean() - baseline.Mean();
        var se = Math.Sqrt(va + vb);
        var degrees = (va + vb) * (va + vb) / (va * va / (method.Count - 1) + vb * vb / (baseline.Count - 1));
        var half = StudentT.InvCDF(0, 1, degrees, 0.975) * se;
        return new Comparison("Welch t", Math.Min(method.Count, baseline.Count), mean, mean - half, mean + half, TwoSidedP(mean, se, degrees));
    }

    static double TwoSidedP(double mean, double standardError, double degrees)
    {
        if (standardError == 0) return mean == 0 ? 1 : 0;
        return 2 * (1 - StudentT.CDF(0, 1, degrees, Math.Abs(mean / standardError)));
    }
}

/// <summary>The F-test of equal variances (the self-distillation paper's claim is about variance across seeds).</summary>
public sealed record VarianceRatio(double Ratio, double PValue)
{
    public static VarianceRatio Of(IReadOnlyList<double> method, IReadOnlyList<double> baseline)
    {
        var ratio = method.Variance() / baseline.Variance();
        var cdf = FisherSnedecor.CDF(method.Count - 1, baseline.Count - 1, ratio);
        return new VarianceRatio(ratio, Math.Min(1, 2 * Math.Min(cdf, 1 - cdf)));
    }
}
