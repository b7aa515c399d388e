using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Probing.Probes;

/// <summary>
/// L2-regularised logistic regression with scikit-learn's objective, so its solution is the same
/// optimum: mean cross-entropy + ‖W‖² / (2·C·n), intercepts unpenalised. More than two classes use
/// one weight column per class (multinomial); two classes use a single column (sigmoid), as
/// scikit-learn does. Full-batch L-BFGS, with the matrix products in float64 torch.
/// </summary>
public sealed class SoftmaxRegression
{
    SoftmaxRegression(double[] weights, double[] bias, int features, int classes, int iterations)
    {
        Weights = weights;
        Bias = bias;
        Features = features;
        Classes = classes;
        Iterations = iterations;
    }

    /// <summary>Row-major (features × free columns): one column per class, or one for two classes.</summary>
    public double[] Weights { get; }
    public double[] Bias { get; }
    public int Features { get; }
    public int Classes { get; }
    public int Iterations { get; }
    int Columns => Bias.Length;

    /// <param name="x">n × d float64 features (the caller standardizes).</param>
    /// <param name="warmStart">A solution for a nearby C, from which L-BFGS converges in fewer steps.</param>
    public static SoftmaxRegression Fit(Tensor x, int[] labels, int classes, double c, SoftmaxRegression? warmStart = null, double gradientTolerance = 1e-5)
    {
        if (classes < 2) throw new ArgumentException("at least two classes", nameof(classes));
        var n = (int)x.shape[0];
        var d = (int)x.shape[1];
        var columns = classes == 2 ? 1 : classes;
        // Every tensor made here lives in this scope: an untracked temporary (the label tensor one_hot reads)
        // can be finalized while native code still reads it, which crashed a probe fit in unsqueeze.
        using var fitScope = NewDisposeScope();
        var oneHot = nn.functional.one_hot(tensor(labels.Select(l => (long)l).ToArray()), classes).to(ScalarType.Float64);
        var target = columns == 1 ? oneHot[.., 1..].contiguous() : oneHot;
        var l2 = 1.0 / (c * n);
        // The objective runs hundreds of times with heavy managed allocation. Scalars made implicitly per
        // call (alpha: l2, div_(n), clamp_min(0), and the alpha = 1 that add_ of a tensor passes) were
        // intermittently finalized while native code still read them ("Expected false to be true" in
        // c10::Scalar::toDouble), so every Scalar is made once and held here, and every add_ names its alpha.
        using var l2Scalar = l2.ToScalar();
        using var countScalar = ((double)n).ToScalar();
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        // Multinomial: xᵀ made contiguous once per fit. The gradient's product with the strided view x.t() came out
        // bit for bit the same (K = 3, 5, 10, 20) but took up to twice as long at the probes' shapes (n × 128 by
        // n × K, float64, one thread). Binary (a matrix-vector product) keeps the view: there the copy changed
        // the last bits, and the product is cheap either way.
        var xTransposed = columns == 1 ? x.t() : x.t().contiguous();

        double Objective(double[] parameters, double[] gradient)
        {
            using var scope = NewDisposeScope();
            var w = tensor(parameters.AsSpan(0, d * columns).ToArray(), [d, columns]);
            var b = tensor(parameters.AsSpan(d * columns).ToArray(), [columns]);
            var logits = x.matmul(w).add_(b, one);
            Tensor loss, residual;
            if (columns == 1)
            {
                // Binary: loss = softplus(z) − y·z with softplus(z) = max(z, 0) + log1p(exp(−|z|)); d/dz = sigmoid(z) − y.
                var softplus = logits.clamp_min(zero).add_(logits.abs().neg_().exp_().log1p_(), one);
                loss = softplus.sub_(logits.mul(target)).mean();
                residual = logits.sigmoid().sub_(target).div_(countScalar);
            }
            else
            {
                var logProbabilities = logits.log_softmax(1);
                loss = -(logProbabilities * target).sum(1).mean();
                residual = logProbabilities.exp_().sub_(target).div_(countScalar);
            }
            var gradW = xTransposed.matmul(residual).add_(w, alpha: l2Scalar);
            var gradB = residual.sum([0]);
            gradW.contiguous().data<double>().CopyTo(gradient, 0);
            gradB.contiguous().data<double>().CopyTo(gradient, d * columns);
            // The penalty in managed code: w.square() is pow with an implicit Scalar 2, the same race (it crashed a probe fit).
            var squaredNorm = 0.0;
            for (var i = 0; i < d * columns; i++) squaredNorm += parameters[i] * parameters[i];
            return loss.item<double>() + 0.5 * l2 * squaredNorm;
        }

        var start = warmStart is { } previous && previous.Features == d && previous.Classes == classes
            ? [.. previous.Weights, .. previous.Bias]
            : new double[d * columns + columns];
        using var oneThread = new SingleThreadedTorch();
        var result = Lbfgs.Minimize(Objective, start, gradientTolerance);
        return new SoftmaxRegression(result.X[..(d * columns)], result.X[(d * columns)..], d, classes, result.Iterations);
    }

    /// <summary>
    /// The code length of <paramref name="labels"/> under the model's predictive distribution,
    /// −Σ log₂ p(yᵢ | xᵢ) in bits (log-softmax, or for two classes −softplus(∓z), so it stays finite and exact).
    /// </summary>
    public double Bits(Tensor x, int[] labels)
    {
        if (labels.Length != x.shape[0]) throw new ArgumentException($"{labels.Length} labels for {x.shape[0]} rows", nameof(labels));
        if (labels.Length == 0) return 0;
        using var scope = NewDisposeScope();
        using var one = 1.0.ToScalar();
        var logits = x.matmul(tensor(Weights, [Features, Columns])).add_(tensor(Bias, [Columns]), one);
        double[] logProbabilities;
        if (Columns == 1)
        {
            // log p(1) = −softplus(−z), log p(0) = −softplus(z); softplus(z) = max(z, 0) + log1p(exp(−|z|)).
            var z = logits.squeeze(1).data<double>().ToArray();
            static double Softplus(double v) => Math.Max(v, 0) + double.LogP1(Math.Exp(-Math.Abs(v)));
            logProbabilities = [.. labels.Select((label, i) => -Softplus(label == 1 ? -z[i] : z[i]))];
        }
        else
        {
            var all = logits.log_softmax(1).data<double>().ToArray();
            logProbabilities = [.. labels.Select((label, i) => all[i * Columns + label])];
        }
        return -logProbabilities.Sum() / Math.Log(2);
    }

    public int[] Predict(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var one = 1.0.ToScalar();
        using var zero = 0.0.ToScalar();
        var logits = x.matmul(tensor(Weights, [Features, Columns])).add_(tensor(Bias, [Columns]), one);
        var predicted = Columns == 1 ? logits.squeeze(1).gt(zero).to(ScalarType.Int64) : logits.argmax(1);
        return [.. predicted.data<long>().ToArray().Select(v => (int)v)];
    }
}
