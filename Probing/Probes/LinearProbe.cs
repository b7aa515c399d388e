using Probing.Probing.Features;
using Probing.Training.Data;
using static TorchSharp.torch;

namespace Probing.Probing.Probes;

/// <summary>
/// The standard probe: a linear map of standardized features. Classification: multinomial logistic
/// regression (scikit-learn's objective), C chosen on the validation split from <see cref="CGrid"/>;
/// regression: ridge, α chosen from <see cref="AlphaGrid"/>. It then refits on train + validation
/// with the chosen value. Deterministic; the seed is unused (no randomness). As an <see cref="ILabelCoder"/>
/// it gives the online code (MDL) its block code lengths.
/// </summary>
public sealed class LinearProbe : IProbe, ILabelCoder
{
    /// <summary>Inverse L2 strength, from strong to weak, so each fit warm-starts from the last.</summary>
    public static readonly double[] CGrid = [0.001, 0.01, 0.1, 1, 10];
    public static readonly double[] AlphaGrid = [1000, 100, 10, 1, 0.1];

    public string Name => "linear";

    public IFittedProbe Fit(ProbeProblem problem, int seed) => Fit(problem, warmStart: null).Probe;

    /// <summary>
    /// The same fit, with each value of C's L-BFGS started from <paramref name="warmStart"/>'s solution for
    /// that C (the fits of a nearby problem: the same task and rows a few fine-tuning steps earlier, as the
    /// collapse curve has). It converges to the same optimum up to the solver's tolerance in fewer
    /// iterations. Regression (ridge, closed form) ignores the warm start.
    /// </summary>
    public WarmFit Fit(ProbeProblem problem, WarmFit? warmStart)
    {
        var all = ProbeSplit.Concat(problem.Train, problem.Validation);
        var standardizer = Standardizer.Fit(all.Features);
        using var xTrain = standardizer.Apply(problem.Train.Features);
        using var xValidation = standardizer.Apply(problem.Validation.Features);
        using var xAll = standardizer.Apply(all.Features);
        var spec = problem.Spec;
        if (spec.IsRegression)
        {
            var alpha = BestOf(AlphaGrid, a => new ProbePredictions(null, RidgeRegression.Fit(xTrain, problem.Train.Scores, a).Predict(xValidation)), spec, problem.Validation);
            return new WarmFit(new FittedRidge(standardizer, RidgeRegression.Fit(xAll, all.Scores, alpha), alpha), new Dictionary<double, SoftmaxRegression>(), null, 0);
        }
        var classes = spec.Labels.Count;
        SoftmaxRegression? previous = null;
        var fits = new Dictionary<double, SoftmaxRegression>();
        var iterations = 0;
        var c = BestOf(CGrid, value =>
        {
            previous = fits[value] = SoftmaxRegression.Fit(xTrain, problem.Train.Labels, classes, value, warmStart?.ByC.GetValueOrDefault(value) ?? previous);
            iterations += previous.Iterations;
            return new ProbePredictions(previous.Predict(xValidation), null);
        }, spec, problem.Validation);
        var refitStart = warmStart?.Refit is { } earlier && warmStart.Regularization == c ? earlier : fits[c];
        var refit = SoftmaxRegression.Fit(xAll, all.Labels, classes, c, refitStart);
        return new WarmFit(new FittedSoftmax(standardizer, refit, c), fits, refit, iterations + refit.Iterations);
    }

    /// <summary>
    /// A fit with what a later fit can start from: the solution for every C of the grid (on the train
    /// split) and the refit on train + validation at the chosen C; <see cref="Iterations"/> is the L-BFGS
    /// iterations all of them took (the cost a warm start saves).
    /// </summary>
    public sealed record WarmFit(IFittedProbe Probe, IReadOnlyDictionary<double, SoftmaxRegression> ByC, SoftmaxRegression? Refit, int Iterations)
    {
        public double Regularization => Probe.Regularization;
    }

    /// <summary>
    /// Classification only: the bits to send <paramref name="block"/>'s labels. The candidates are the
    /// logistic regression fit on the train split alone at each C of the grid, and the uniform code
    /// (log₂K a label); the one that codes the validation split in the fewest bits codes the block (ties:
    /// the earlier candidate, uniform first). The uniform candidate is what early stopping on a dev set
    /// gives Voita &amp; Titov's probes before any training: a fit to convergence on a few rows (one label
    /// seen, say) puts almost all its mass on the labels it saw, and would spend ~17 bits on any other.
    /// Features standardized on train + validation, as in a fit.
    /// </summary>
    public double CodeLength(ProbeProblem problem, ProbeSplit block)
    {
        if (problem.Spec.IsRegression) throw new ArgumentException($"{problem.Spec.Name}: code lengths are defined for classification", nameof(problem));
        var classes = problem.Spec.Labels.Count;
        var uniformBitsPerLabel = Math.Log2(classes);
        var standardizer = Standardizer.Fit(ProbeSplit.Concat(problem.Train, problem.Validation).Features);
        using var xTrain = standardizer.Apply(problem.Train.Features);
        using var xValidation = standardizer.Apply(problem.Validation.Features);
        using var xBlock = standardizer.Apply(block.Features);
        SoftmaxRegression? previous = null;
        var best = (Bits: problem.Validation.Count * uniformBitsPerLabel, Model: (SoftmaxRegression?)null);
        foreach (var c in CGrid)
        {
            previous = SoftmaxRegression.Fit(xTrain, problem.Train.Labels, classes, c, previous);
            var bits = previous.Bits(xValidation, problem.Validation.Labels);
            if (bits < best.Bits) best = (bits, previous);
        }
        return best.Model is { } model ? model.Bits(xBlock, block.Labels) : block.Count * uniformBitsPerLabel;
    }

    /// <summary>The grid value whose fit scores best on validation (primary metric; the first on ties; NaN counts as worst).</summary>
    static double BestOf(double[] grid, Func<double, ProbePredictions> fitAndPredict, TaskSpec spec, ProbeSplit validation)
    {
        var best = (Value: grid[0], Score: double.NegativeInfinity);
        foreach (var value in grid)
        {
            var score = fitAndPredict(value).Score(spec, validation).Primary;
            if (double.IsNaN(score)) score = double.NegativeInfinity;
            if (score > best.Score) best = (value, score);
        }
        return best.Value;
    }

    sealed class FittedSoftmax(Standardizer standardizer, SoftmaxRegression model, double c) : IFittedProbe
    {
        public double Regularization => c;

        public ProbePredictions Predict(FeatureMatrix features)
        {
            using var x = standardizer.Apply(features);
            return new ProbePredictions(model.Predict(x), null);
        }
    }

    sealed class FittedRidge(Standardizer standardizer, RidgeRegression model, double alpha) : IFittedProbe
    {
        public double Regularization => alpha;

        public ProbePredictions Predict(FeatureMatrix features)
        {
            using var x = standardizer.Apply(features);
            return new ProbePredictions(null, model.Predict(x));
        }
    }
}
