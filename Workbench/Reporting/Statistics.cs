using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace Probing.Workbench.Reporting;

/// <summary>
/// What the report says about one set of values over seeds: n, mean, sd, median, min, max and the 95 %
/// confidence interval of the mean (Student's t, so honest with few seeds). With one value the sd and
/// the interval are undefined (NaN), not zero.
/// </summary>
public sealed record Summary(int Count, double Mean, double StandardDeviation, double Median, double Min, double Max, double CiLow, double CiHigh)
{
    public const double Confidence = 0.95;

    public static Summary Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values to summarise", nameof(values));
        var mean = values.Mean();
        var sd = values.Count > 1 ? values.StandardDeviation() : double.NaN;
        var half = values.Count > 1 ? TQuantile(values.Count - 1) * sd / Math.Sqrt(values.Count) : double.NaN;
        return new Summary(values.Count, mean, sd, values.Median(), values.Minimum(), values.Maximum(), mean - half, mean + half);
    }

    /// <summary>The two-sided 95 % quantile of Student's t with <paramref name="degrees"/> degrees of freedom.</summary>
    public static double TQuantile(double degrees) => StudentT.InvCDF(0, 1, degrees, 1 - (1 - Confidence) / 2);
}

/// <summary>
/// A method against a baseline over the seeds both have. <see cref="Effect"/> is the mean per-seed
/// difference (paired t) or the ratio of variances (Pitman–Morgan test, paired by seed); <see cref="CiLow"/>/<see cref="CiHigh"/>
/// its 95 % interval; <see cref="PValue"/> two-sided, NaN where the test is undefined (fewer than two
/// pairs, or no spread: a zero standard error gives no p-value, never p = 0).
/// </summary>
public sealed record Comparison(EffectTest Test, int Count, double Effect, double Sd, double CiLow, double CiHigh, double PValue)
{
    /// <summary>The effect that means "no difference": 0 for a difference, 1 for a ratio.</summary>
    public double Null => Test == EffectTest.VarianceRatio ? 1 : 0;

    public bool HasPValue => double.IsFinite(PValue);

    /// <summary>Paired t-test on per-seed differences (runs that share a seed share data order and initialisation).</summary>
    public static Comparison Paired(IReadOnlyList<double> method, IReadOnlyList<double> baseline)
    {
        if (method.Count != baseline.Count) throw new ArgumentException("paired samples differ in length");
        if (method.Count == 0) throw new ArgumentException("no pairs to compare");
        var differences = method.Zip(baseline, (m, b) => m - b).ToList();
        var mean = differences.Mean();
        if (differences.Count < 2) return new Comparison(EffectTest.PairedDifference, 1, mean, double.NaN, double.NaN, double.NaN, double.NaN);
        var sd = differences.StandardDeviation();
        if (VerdictRules.IsDegenerate(sd, differences))
            return new Comparison(EffectTest.PairedDifference, differences.Count, mean, 0, mean, mean, double.NaN);
        var se = sd / Math.Sqrt(differences.Count);
        var degrees = differences.Count - 1;
        var half = Summary.TQuantile(degrees) * se;
        var p = 2 * (1 - StudentT.CDF(0, 1, degrees, Math.Abs(mean / se)));
        return new Comparison(EffectTest.PairedDifference, differences.Count, mean, sd, mean - half, mean + half, p);
    }

    /// <summary>
    /// Whether the method's spread across seeds differs from the baseline's (Xu et al.'s claim): the ratio of
    /// the sample variances, method ÷ baseline, with the Pitman–Morgan test and its 95 % interval. The runs are
    /// paired by seed (a seed fixes the data order and the head's initialisation for both), so the F test of
    /// two independent samples does not apply; Pitman–Morgan is exact for paired normal values at any
    /// n ≥ 3: the variances are equal exactly when the sums X + Y and differences X − Y are uncorrelated,
    /// which a t test with n − 2 degrees of freedom checks. The interval is every ratio λ that test would
    /// not reject for X/√λ against Y: F·(K ∓ √(K² − 1)) with K = 1 + 2(1 − r²)t²/(n − 2), r the correlation of
    /// X and Y, t Student's 97.5 % quantile (Pitman 1939; Morgan 1939).
    /// </summary>
    public static Comparison VarianceRatio(IReadOnlyList<double> method, IReadOnlyList<double> baseline)
    {
        if (method.Count != baseline.Count) throw new ArgumentException("paired samples differ in length");
        var count = method.Count;
        if (count < 2) return new Comparison(EffectTest.VarianceRatio, count, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double vm = method.Variance(), vb = baseline.Variance();
        if (VerdictRules.IsDegenerate(Math.Sqrt(vm), method) || VerdictRules.IsDegenerate(Math.Sqrt(vb), baseline) || count < 3)
            return new Comparison(EffectTest.VarianceRatio, count, vb > 0 ? vm / vb : double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        var ratio = vm / vb;
        var degrees = count - 2;
        // Sums and differences: Cov(X + Y, X − Y) = Var X − Var Y.
        var sums = method.Zip(baseline, (x, y) => x + y).ToArray();
        var differences = method.Zip(baseline, (x, y) => x - y).ToArray();
        var r = Correlation.Pearson(sums, differences);
        var t = r * Math.Sqrt(degrees / Math.Max(1 - r * r, double.Epsilon));
        var p = Math.Min(1, 2 * (1 - StudentT.CDF(0, 1, degrees, Math.Abs(t))));
        var rho = Correlation.Pearson(method, baseline);
        var quantile = Summary.TQuantile(degrees);
        var k = 1 + 2 * (1 - rho * rho) * quantile * quantile / degrees;
        var spread = Math.Sqrt(k * k - 1);
        return new Comparison(EffectTest.VarianceRatio, count, ratio, double.NaN, ratio * (k - spread), ratio * (k + spread), p);
    }
}

/// <summary>How a claim's effect is measured.</summary>
public enum EffectTest { PairedDifference, VarianceRatio }

/// <summary>Holm's step-down adjustment of a family of p-values (controls the family-wise error rate).</summary>
public static class Holm
{
    /// <summary>
    /// Adjusted p-values in the input's order: sorted ascending, the i-th (0-based) of m becomes
    /// max over j ≤ i of min(1, (m − j) p₍ⱼ₎). NaN entries (no test) stay NaN and do not count in m.
    /// </summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        var adjusted = pValues.Select(_ => double.NaN).ToArray();
        var order = Enumerable.Range(0, pValues.Count).Where(i => double.IsFinite(pValues[i])).OrderBy(i => pValues[i]).ToList();
        var running = 0.0;
        for (int rank = 0; rank < order.Count; rank++)
        {
            running = Math.Max(running, Math.Min(1, (order.Count - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
