using Probing.Probing.Features;
using static TorchSharp.torch;

namespace Probing.Probing.Probes;

/// <summary>
/// Zero mean, unit variance per feature with the statistics of the fitting rows (population standard
/// deviation, as scikit-learn's StandardScaler); constant features stay 0. Holds plain arrays, so a
/// fitted probe owns no native memory.
/// </summary>
public sealed class Standardizer
{
    readonly double[] mean;
    readonly double[] scale;

    Standardizer(double[] mean, double[] scale)
    {
        this.mean = mean;
        this.scale = scale;
    }

    public static Standardizer Fit(FeatureMatrix matrix)
    {
        using var scope = NewDisposeScope();
        var x = matrix.ToTensor();
        // Constant features are kept at 0 in managed code: std.gt(0) would pass an untracked implicit Scalar.
        var scale = x.std(0, unbiased: false).data<double>().ToArray().Select(s => s > 0 ? s : 1).ToArray();
        return new Standardizer(x.mean([0]).data<double>().ToArray(), scale);
    }

    /// <summary>Standardized float64 features; the caller owns the tensor.</summary>
    public Tensor Apply(FeatureMatrix matrix)
    {
        using var scope = NewDisposeScope();
        var x = matrix.ToTensor();
        return x.sub_(tensor(mean)).div_(tensor(scale)).MoveToOuterDisposeScope();
    }
}
