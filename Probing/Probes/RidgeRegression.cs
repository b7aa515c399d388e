using static TorchSharp.torch;

namespace Probing.Probing.Probes;

/// <summary>
/// Linear regression with an L2 penalty, scikit-learn's <c>Ridge</c> objective:
/// ‖y − Xw − b‖² + α‖w‖², intercept unpenalised, solved exactly in float64 by centering and one solve.
/// </summary>
public sealed class RidgeRegression
{
    readonly double[] weights;
    readonly double bias;

    RidgeRegression(double[] weights, double bias)
    {
        this.weights = weights;
        this.bias = bias;
    }

    public static RidgeRegression Fit(Tensor x, double[] targets, double alpha)
    {
        using var scope = NewDisposeScope();
        var y = tensor(targets);
        var xMean = x.mean([0]);
        var yMean = y.mean();
        var centered = x - xMean;
        var gram = centered.t().matmul(centered) + eye(x.shape[1], dtype: ScalarType.Float64) * alpha;
        var w = linalg.solve(gram, centered.t().matmul(y - yMean));
        var b = yMean - xMean.dot(w);
        return new RidgeRegression(w.data<double>().ToArray(), b.item<double>());
    }

    public double[] Predict(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (x.matmul(tensor(weights)) + bias).data<double>().ToArray();
    }
}
