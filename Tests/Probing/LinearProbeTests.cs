using System.Text.Json;
using NUnit.Framework;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Training.Data;
using TorchSharp;

namespace Probing.Tests.Probes;

public class LinearProbeTests
{
    static readonly ProbeFixture Fixture = ProbeFixture.Load();

    static (SoftmaxRegression Model, double Accuracy) FitFixture(Func<int, bool> keep)
    {
        var train = Enumerable.Range(0, Fixture.Train.Rows).Where(i => keep(Fixture.TrainLabels[i])).ToArray();
        var test = Enumerable.Range(0, Fixture.Test.Rows).Where(i => keep(Fixture.TestLabels[i])).ToArray();
        var standardizer = Standardizer.Fit(Fixture.Train);
        using var xTrain = standardizer.Apply(Fixture.Train.SelectRows(train));
        using var xTest = standardizer.Apply(Fixture.Test.SelectRows(test));
        var classes = train.Select(i => Fixture.TrainLabels[i]).Max() + 1;
        var model = SoftmaxRegression.Fit(xTrain, [.. train.Select(i => Fixture.TrainLabels[i])], classes, Fixture.Reference.GetProperty("c").GetDouble(), gradientTolerance: 1e-8);
        var predicted = model.Predict(xTest);
        var accuracy = test.Select((row, k) => predicted[k] == Fixture.TestLabels[row] ? 1.0 : 0).Average();
        return (model, accuracy);
    }

    /// <summary>scikit-learn's coef_ is classes × features; ours is features × columns.</summary>
    static void AssertSameSolution(SoftmaxRegression model, JsonElement reference)
    {
        var coef = reference.GetProperty("coef").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var intercept = reference.GetProperty("intercept").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (var c = 0; c < coef.Length; c++)
        {
            for (var f = 0; f < model.Features; f++)
                Assert.That(model.Weights[f * coef.Length + c], Is.EqualTo(coef[c][f]).Within(1e-4), $"weight of feature {f}, column {c}");
            Assert.That(model.Bias[c], Is.EqualTo(intercept[c]).Within(1e-4), $"intercept {c}");
        }
    }

    [Test]
    public void MultinomialFitAgreesWithScikitLearn()
    {
        var reference = Fixture.Reference.GetProperty("multiclass");
        var (model, accuracy) = FitFixture(_ => true);
        Assert.That(accuracy, Is.EqualTo(reference.GetProperty("test_accuracy").GetDouble()).Within(0.005));
        AssertSameSolution(model, reference);
    }

    [Test]
    public void BinaryFitAgreesWithScikitLearn()
    {
        var reference = Fixture.Reference.GetProperty("binary");
        var (model, accuracy) = FitFixture(label => label < 2);
        Assert.That(accuracy, Is.EqualTo(reference.GetProperty("test_accuracy").GetDouble()).Within(0.005));
        AssertSameSolution(model, reference);
    }

    /// <summary>
    /// The multinomial fit's gradient product reads a contiguous copy of xᵀ made once per fit (a speed
    /// change); its solution, and the binary one, must be bit for bit that of the objective written plainly
    /// with the strided view x.t().
    /// </summary>
    [TestCase(3)]
    [TestCase(2)]
    public void FitEqualsThePlainObjectiveBitForBit(int classes)
    {
        var rows = Enumerable.Range(0, Fixture.Train.Rows).Where(i => Fixture.TrainLabels[i] < classes).ToArray();
        var labels = rows.Select(i => Fixture.TrainLabels[i]).ToArray();
        using var x = Standardizer.Fit(Fixture.Train).Apply(Fixture.Train.SelectRows(rows));
        const double c = 0.1;
        var model = SoftmaxRegression.Fit(x, labels, classes, c);
        var plain = PlainFit(x, labels, classes, c);
        Assert.That(model.Weights.Concat(model.Bias).ToArray(), Is.EqualTo(plain), "every coefficient, exactly");
    }

    /// <summary>The objective as first written (gradient x.t() · residual), minimized by the same L-BFGS from zero.</summary>
    static double[] PlainFit(TorchSharp.torch.Tensor x, int[] labels, int classes, double c)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var (n, d) = ((int)x.shape[0], (int)x.shape[1]);
        var columns = classes == 2 ? 1 : classes;
        var oneHot = TorchSharp.torch.nn.functional.one_hot(TorchSharp.torch.tensor(labels.Select(l => (long)l).ToArray()), classes).to(TorchSharp.torch.ScalarType.Float64);
        var target = columns == 1 ? oneHot[.., 1..].contiguous() : oneHot;
        var l2 = 1.0 / (c * n);
        using var l2Scalar = l2.ToScalar();
        using var count = ((double)n).ToScalar();
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        double Objective(double[] parameters, double[] gradient)
        {
            using var inner = TorchSharp.torch.NewDisposeScope();
            var w = TorchSharp.torch.tensor(parameters.AsSpan(0, d * columns).ToArray(), [d, columns]);
            var b = TorchSharp.torch.tensor(parameters.AsSpan(d * columns).ToArray(), [columns]);
            var logits = x.matmul(w).add_(b, one);
            TorchSharp.torch.Tensor loss, residual;
            if (columns == 1)
            {
                var softplus = logits.clamp_min(zero).add_(logits.abs().neg_().exp_().log1p_(), one);
                loss = softplus.sub_(logits.mul(target)).mean();
                residual = logits.sigmoid().sub_(target).div_(count);
            }
            else
            {
                var logProbabilities = logits.log_softmax(1);
                loss = -(logProbabilities * target).sum(1).mean();
                residual = logProbabilities.exp_().sub_(target).div_(count);
            }
            x.t().matmul(residual).add_(w, alpha: l2Scalar).contiguous().data<double>().CopyTo(gradient, 0);
            residual.sum([0]).contiguous().data<double>().CopyTo(gradient, d * columns);
            var squaredNorm = 0.0;
            for (var i = 0; i < d * columns; i++) squaredNorm += parameters[i] * parameters[i];
            return loss.item<double>() + 0.5 * l2 * squaredNorm;
        }
        using var oneThread = new SingleThreadedTorch();
        return Lbfgs.Minimize(Objective, new double[d * columns + columns], 1e-5).X;
    }

    [Test]
    public void RidgeAgreesWithScikitLearn()
    {
        var reference = Fixture.Reference.GetProperty("ridge");
        var standardizer = Standardizer.Fit(Fixture.Train);
        using var x = standardizer.Apply(Fixture.Train);
        var model = RidgeRegression.Fit(x, Fixture.TrainScores, Fixture.Reference.GetProperty("alpha").GetDouble());
        // The prediction at a standardized point e_f − 0 recovers coefficient f plus the intercept.
        using var identity = TorchSharp.torch.eye(Fixture.Train.Columns, dtype: TorchSharp.torch.ScalarType.Float64);
        using var zero = TorchSharp.torch.zeros(1, Fixture.Train.Columns, dtype: TorchSharp.torch.ScalarType.Float64);
        var intercept = model.Predict(zero)[0];
        var coef = model.Predict(identity).Select(v => v - intercept).ToArray();
        Assert.That(intercept, Is.EqualTo(reference.GetProperty("intercept").GetDouble()).Within(1e-6));
        Assert.That(coef, Is.EqualTo(reference.GetProperty("coef").EnumerateArray().Select(v => v.GetDouble()).ToArray()).Within(1e-6));
    }

    [Test]
    public void ProbeOnSeparableFeaturesBeatsChanceByFar()
    {
        var problem = SyntheticProblems.Separable(rows: 300, seed: 3);
        var probe = new LinearProbe().Fit(problem.Problem, seed: 1);
        var score = probe.Predict(problem.Test.Features).Score(problem.Problem.Spec, problem.Test).Primary;
        Assert.That(score, Is.GreaterThan(0.95), "class means are 6 standard deviations apart");
    }

    /// <summary>
    /// A tensor no scope or using holds is freed by the finalizer, possibly while native code still reads
    /// it (a gap run crashed so in one_hot's unsqueeze): a probe fit must release every tensor it makes.
    /// </summary>
    [TestCase(3)]
    [TestCase(2)]
    public void LinearProbeLeavesNoTensorForTheFinalizer(int classes)
    {
        var problem = SyntheticProblems.Separable(rows: 120, seed: 5);
        var spec = problem.Problem.Spec with { Labels = [.. problem.Problem.Spec.Labels.Take(classes)] };
        ProbeSplit Keep(ProbeSplit split) => split.Select([.. Enumerable.Range(0, split.Count).Where(i => split.Labels[i] < classes)]);
        var test = Keep(problem.Test);
        TorchSharp.DisposeScopeManager.Statistics.Reset();
        new LinearProbe().Fit(new ProbeProblem(spec, Keep(problem.Problem.Train), Keep(problem.Problem.Validation)), seed: 1).Predict(test.Features);
        Assert.That(TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount, Is.Zero, TorchSharp.DisposeScopeManager.Statistics.ToString());
    }

    [Test]
    public void MlpProbeOnSeparableFeaturesBeatsChanceAndIsSeeded()
    {
        var problem = SyntheticProblems.Separable(rows: 300, seed: 6);
        var first = new MlpProbe(hidden: 32).Fit(problem.Problem, seed: 1).Predict(problem.Test.Features);
        var again = new MlpProbe(hidden: 32).Fit(problem.Problem, seed: 1).Predict(problem.Test.Features);
        Assert.That(first.Score(problem.Problem.Spec, problem.Test).Primary, Is.GreaterThan(0.9));
        Assert.That(again.Labels, Is.EqualTo(first.Labels));
    }

    [Test]
    public void ProbeOnNoiseStaysNearChance()
    {
        var problem = SyntheticProblems.Separable(rows: 300, seed: 4, separation: 0);
        var probe = new LinearProbe().Fit(problem.Problem, seed: 1);
        var score = probe.Predict(problem.Test.Features).Score(problem.Problem.Spec, problem.Test).Primary;
        Assert.That(score, Is.InRange(0.2, 0.5), "three balanced classes with no signal");
    }
}

/// <summary>Gaussian classes in feature space: a known answer for probes.</summary>
public static class SyntheticProblems
{
    public static readonly TaskSpec ThreeWay = new("synthetic", false, ["a", "b", "c"], [MetricKind.Accuracy], "three Gaussian classes");

    public sealed record Case(ProbeProblem Problem, ProbeSplit Test);

    public static Case Separable(int rows, int seed, double separation = 6, int dims = 8)
    {
        var random = new Random(seed);
        ProbeSplit Split(int count)
        {
            var labels = Enumerable.Range(0, count).Select(i => i % 3).ToArray();
            var data = new float[count * dims];
            for (var i = 0; i < count; i++)
                for (var d = 0; d < dims; d++)
                    data[i * dims + d] = (float)(Gaussian(random) + (d == labels[i] ? separation : 0));
            return new ProbeSplit(new FeatureMatrix(data, count, dims), labels, [.. labels.Select(l => (double)l)]);
        }
        return new Case(new ProbeProblem(ThreeWay, Split(rows), Split(rows / 3)), Split(rows / 2));
    }

    static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
