using MathNet.Numerics.LinearAlgebra;
using NUnit.Framework;
using Probing.Training.FineTuning;
using Probing.Training.Model;
using Probing.Training.Optimization;
using Probing.Training.Regularizers;
using static TorchSharp.torch;

namespace Probing.Tests.FineTuning;

public class RegularizerTests
{
    static RegularizerContext Context(SequenceClassifier student) =>
        new(student, () => new SequenceClassifier(student.Config, student.Head.Outputs, student.Head.SpectralOutput is not null));

    static AdamW Optimizer(SequenceClassifier model) => new(model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));

    static Dictionary<string, Tensor> Parameters(SequenceClassifier model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    /// <summary>Runs <paramref name="steps"/> optimizer steps of a method, recording the parameters after each.</summary>
    static List<Dictionary<string, Tensor>> Train(SequenceClassifier student, IRegularizer method, int steps)
    {
        using var optimizer = Optimizer(student);
        var snapshots = new List<Dictionary<string, Tensor>>();
        for (int step = 0; step < steps; step++)
        {
            manual_seed(step);
            method.Backward(TinySetup.Batch(seed: step));
            optimizer.Step(1e-2);
            optimizer.ZeroGrad();
            method.AfterOptimizerStep();
            snapshots.Add(Parameters(student));
        }
        return snapshots;
    }

    [Test]
    public void R3fTermVanishesWithoutNoise()
    {
        using var student = TinySetup.Classifier(dropout: 0);
        var r3f = new R3f(new R3fOptions { Eps = 0 }, Context(student));
        var loss = r3f.Backward(TinySetup.Batch());
        Assert.That(loss.Terms[1], Is.EqualTo(0));
        Assert.That(loss.Total, Is.EqualTo(loss.Terms[0]).Within(1e-6));

        var noisy = new R3f(new R3fOptions { Eps = 1e-2, NoiseType = NoiseType.Normal }, Context(student)).Backward(TinySetup.Batch());
        Assert.That(noisy.Terms[1], Is.GreaterThan(0));
    }

    [TestCase(NoiseType.Uniform)]
    [TestCase(NoiseType.Normal)]
    public void R3fOneDoubledPassGivesTheTwoPassLossAndGradients(NoiseType noiseType)
    {
        // Dropout off, so the clean and noisy halves of the one 2B pass must be fairseq's two passes.
        using var student = TinySetup.Classifier(dropout: 0);
        student.Head.Initialize(std: 1, seed: 3); // logits far from uniform, so the noise moves the predictions
        var options = new R3fOptions { Eps = 1, Lambda = 0.7, NoiseType = noiseType };
        var r3f = new R3f(options, Context(student));
        var batch = TinySetup.Batch();
        manual_seed(4);
        var loss = r3f.Backward(batch);
        var batched = student.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        foreach (var parameter in student.parameters()) parameter.grad!.zero_();

        manual_seed(4);
        var words = student.WordEmbeddings(batch);
        var noise = r3f.Noise(words);
        var clean = student.LogitsFromWordEmbeddings(words, batch);
        var noisy = student.LogitsFromWordEmbeddings(words.detach() + noise, batch);
        var labels = batch.Targets.data<long>().ToArray();
        double crossEntropy = 0, symmetricKl = 0;
        var (cleanRows, noisyRows) = (Rows(clean), Rows(noisy));
        for (int i = 0; i < labels.Length; i++)
        {
            crossEntropy += Math.Log(cleanRows[i].Sum(Math.Exp)) - cleanRows[i][labels[i]];
            var (logP, logQ) = (LogSoftmax(cleanRows[i]), LogSoftmax(noisyRows[i]));
            symmetricKl += logP.Zip(logQ, (a, b) => Math.Exp(a) * (a - b) + Math.Exp(b) * (b - a)).Sum();
        }
        crossEntropy /= labels.Length;
        symmetricKl /= labels.Length;
        Assert.That(symmetricKl, Is.GreaterThan(1e-2), "the noise must move the predictions for this test to mean anything");
        Assert.That(loss.Terms[0], Is.EqualTo(crossEntropy).Within(1e-4).Percent);
        Assert.That(loss.Terms[1], Is.EqualTo(symmetricKl).Within(1e-3).Percent);
        Assert.That(loss.Total, Is.EqualTo(crossEntropy + 0.7 * symmetricKl).Within(1e-4).Percent);

        (TaskLoss.Compute(clean, batch, 0) + 0.7 * Divergences.SymmetricKl(clean, noisy)).backward();
        foreach (var (name, parameter) in student.named_parameters())
        {
            var twoPass = parameter.grad!;
            var scale = Math.Max(1e-3, twoPass.abs().max().item<float>());
            Assert.That(batched[name].sub(twoPass).abs().max().item<float>() / scale, Is.LessThan(1e-4), name);
        }
    }

    static double[] LogSoftmax(double[] z)
    {
        var max = z.Max();
        var log = max + Math.Log(z.Sum(v => Math.Exp(v - max)));
        return [.. z.Select(v => v - log)];
    }

    [Test]
    public void SpectrallyNormalisedHeadHasUnitLargestSingularValueAfterTraining()
    {
        using var student = TinySetup.Classifier(dropout: 0.1, spectral: true);
        student.train();
        using var r4f = MethodRegistry.Create(new R4fOptions(), Context(student));
        Train(student, r4f, steps: 30);

        var spectral = student.Head.SpectralOutput!;
        using var normalised = (spectral.OriginalWeight.detach() / spectral.Sigma()).to(float64);
        var rows = (int)normalised.shape[0];
        var columns = (int)normalised.shape[1];
        var values = normalised.data<double>().ToArray();
        var matrix = Matrix<double>.Build.Dense(rows, columns, (r, c) => values[r * columns + c]);
        var largest = matrix.Svd().S.Maximum();
        Assert.That(largest, Is.EqualTo(1).Within(1e-3));
    }

    [TestCase(PerturbationNorm.Inf)]
    [TestCase(PerturbationNorm.L2)]
    public void SmartNormalisesEachTokenToUnitNorm(PerturbationNorm norm)
    {
        using var generator = new Generator(5);
        using var x = randn([4, 6, 32], generator: generator);
        using var normalised = SmartPerturbation.Normalize(x, norm, epsilon: 1e-6);
        using var size = norm == PerturbationNorm.Inf ? normalised.abs().amax([-1]) : normalised.norm(-1);
        Assert.That(size.sub(1).abs().max().item<float>(), Is.LessThan(1e-5));
    }

    [Test]
    public void SmartAscentRaisesTheAdversarialLoss()
    {
        using var student = TinySetup.Classifier(dropout: 0);
        var options = new SmartOptions { AdvK = 2 };
        var perturbation = new SmartPerturbation(options, regression: false);
        var batch = TinySetup.Batch();
        var words = student.WordEmbeddings(batch);
        var clean = student.LogitsFromWordEmbeddings(words, batch);
        manual_seed(1);
        var initial = perturbation.InitialNoise(words);
        var final = perturbation.Ascend(student, words, clean, batch, initial)!;

        double Loss(Tensor noise) => Divergences.SymmetricKlDetachedTargets(clean, student.LogitsFromWordEmbeddings(words + noise, batch)).item<float>();
        Assert.That(final.abs().amax([-1]).max().item<float>(), Is.LessThanOrEqualTo(1.0f));
        Assert.That(Loss(final), Is.GreaterThanOrEqualTo(Loss(initial)));
    }

    [Test]
    public void FreeLbGradientIsTheMeanOfItsPerPassGradients()
    {
        const int passes = 3;
        using var student = TinySetup.Classifier(dropout: 0);
        var deltas = new List<Tensor>();
        var options = new FreeLbOptions { AdvSteps = passes, AdvLr = 0.5, AdvInitMag = 0.5 };
        var batch = TinySetup.Batch();
        new FreeLb(options, Context(student), delta => deltas.Add(delta.clone())).Backward(batch);
        var accumulated = student.parameters().Select(p => p.grad!.clone()).ToList();
        Assert.That(deltas, Has.Count.EqualTo(passes));
        Assert.That(deltas[1].sub(deltas[0]).abs().max().item<float>(), Is.GreaterThan(0), "δ ascends between passes");

        var mean = student.parameters().Select(p => zeros_like(p)).ToList();
        foreach (var delta in deltas)
        {
            foreach (var p in student.parameters()) p.grad?.zero_();
            TaskLoss.Compute(student.LogitsFromWordEmbeddings(student.WordEmbeddings(batch) + delta, batch), batch, 0).backward();
            foreach (var (sum, p) in mean.Zip(student.parameters())) sum.add_(p.grad! / passes);
        }
        foreach (var (got, want) in accumulated.Zip(mean))
            Assert.That(got.sub(want).abs().max().item<float>(), Is.LessThan(1e-6));
    }

    [Test]
    public void SelfEnsembleTeacherIsTheMeanOfTheLastKSnapshots()
    {
        const int k = 3;
        using var student = TinySetup.Classifier(dropout: 0.1);
        student.train();
        using var method = new SelfEnsemble(new SelfEnsembleOptions { TeacherSize = k }, Context(student));
        var snapshots = Train(student, method, steps: 7);

        var teacher = method.Teacher.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        foreach (var (name, value) in teacher)
        {
            var mean = snapshots.TakeLast(k).Select(s => s[name].to(float64)).Aggregate((a, b) => a + b) / k;
            Assert.That(value.to(float64).sub(mean).abs().max().item<double>(), Is.LessThan(1e-6), name);
        }
        Assert.That(method.EvaluationModel, Is.SameAs(method.Teacher));
    }

    [Test]
    public void SdaLossIsCrossEntropyPlusLambdaTimesMseToTheAveragedTeacher()
    {
        const int k = 2;
        const double lambda = 0.7;
        using var student = TinySetup.Classifier(dropout: 0);
        using var method = new SelfDistillation(new SdaOptions { TeacherSize = k, Lambda = lambda }, Context(student));
        var snapshots = Train(student, method, steps: 4);

        using var teacher = TinySetup.Classifier(dropout: 0);
        using (no_grad())
            foreach (var (name, p) in teacher.named_parameters())
                p.copy_(snapshots.TakeLast(k).Select(s => s[name]).Aggregate((a, b) => a + b) / k);

        var batch = TinySetup.Batch(seed: 99);
        var loss = method.Backward(batch);
        var studentLogits = Rows(student.Logits(batch));
        var teacherLogits = Rows(teacher.Logits(batch));
        var labels = batch.Targets.data<long>().ToArray();
        double crossEntropy = 0, squared = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var z = studentLogits[i];
            crossEntropy += Math.Log(z.Sum(Math.Exp)) - z[labels[i]];
            squared += z.Zip(teacherLogits[i], (a, b) => (a - b) * (a - b)).Sum();
        }
        var expected = crossEntropy / labels.Length + lambda * squared / (labels.Length * 2);
        Assert.That(loss.Total, Is.EqualTo(expected).Within(1e-5));
        Assert.That(loss.Terms[1], Is.GreaterThan(0));
    }

    static double[][] Rows(Tensor logits)
    {
        var values = logits.detach().to(float64).data<double>().ToArray();
        var columns = (int)logits.shape[1];
        return [.. Enumerable.Range(0, (int)logits.shape[0]).Select(r => values[(r * columns)..((r + 1) * columns)])];
    }
}
