using Probing.Probing.Features;
using Probing.Training.Data;
using static TorchSharp.torch;

namespace Probing.Probing.Probes;

/// <summary>
/// The standard probe: a linear map of standardized features. Classification: multinomial logistic
/// regression (scikit-learn's objective), C chosen on the validation split from <see cref="CGrid"/>;
/// regression: ridge, α chosen from <see cref="AlphaGrid"/>. It then refits on train + validation
/// with the chosen value. Deterministic; the seed is unused (no randomness).
/// </summary>
public sealed class LinearProbe : IProbe
{
    /// <summary>Inverse L2 strength, from strong to weak, so each fit warm-starts from the last.</summary>
    public static readonly double[] CGrid = [0.001, 0.01, 0.1, 1, 10];
    public static readonly double[] AlphaGrid = [1000, 100, 10, 1, 0.1];

    public string Name => "linear";

    public IFittedProbe Fit(ProbeProblem problem, int seed)
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
            return new FittedRidge(standardizer, RidgeRegression.Fit(xAll, all.Scores, alpha), alpha);
        }
        var classes = spec.Labels.Count;
        SoftmaxRegression? previous = null;
        var fits = new Dictionary<double, SoftmaxRegression>();
        var c = BestOf(CGrid, value =>
        {
            previous = fits[value] = SoftmaxRegression.Fit(xTrain, problem.Train.Labels, classes, value, previous);
            return new ProbePredictions(previous.Predict(xValidation), null);
        }, spec, problem.Validation);
        return new FittedSoftmax(standardizer, SoftmaxRegression.Fit(xAll, all.Labels, classes, c, fits[c]), c);
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
