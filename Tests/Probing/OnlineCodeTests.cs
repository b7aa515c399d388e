using NUnit.Framework;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Training.Data;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Tests.Probes;

public class OnlineCodeTests
{
    static readonly TaskSpec Binary = new("binary", false, ["no", "yes"], [MetricKind.Accuracy], "two labels");

    /// <summary>Rows whose features nobody reads: the coders below look at labels only.</summary>
    static ProbeSplit Labels(params int[] labels) => new(new FeatureMatrix(new float[labels.Length], labels.Length, 1), labels, [.. labels.Select(_ => 0.0)]);

    /// <summary>
    /// A probe whose predictions are known: p(y) = (count of y in the rows it was fit on + 1) / (rows + K),
    /// Laplace's rule, the same for every row of the block. Records what it was asked.
    /// </summary>
    sealed class LaplaceCoder : ILabelCoder
    {
        public List<(int Prefix, int Block)> Calls { get; } = [];

        public double CodeLength(ProbeProblem problem, ProbeSplit block)
        {
            Calls.Add((problem.Train.Count, block.Count));
            var classes = problem.Spec.Labels.Count;
            return block.Labels.Sum(y => -Math.Log2((problem.Train.Labels.Count(l => l == y) + 1.0) / (problem.Train.Count + classes)));
        }
    }

    /// <summary>Every label costs log₂K bits whatever it was fit on.</summary>
    sealed class UniformCoder : ILabelCoder
    {
        public double CodeLength(ProbeProblem problem, ProbeSplit block) => block.Count * Math.Log2(problem.Spec.Labels.Count);
    }

    [Test]
    public void BlockEndsAreThePapersFractionsRoundedDown()
    {
        Assert.That(OnlineCode.Timestamps(40_000), Is.EqualTo(new[] { 40, 80, 160, 320, 640, 1280, 2500, 5000, 10_000, 20_000, 40_000 }), "0.1 % … 100 % as in the paper");
        Assert.That(OnlineCode.Timestamps(205), Is.EqualTo(new[] { 1, 3, 6, 12, 25, 51, 102, 205 }), "205 rows (256 minus the probe's validation): the smallest fractions merge into one row");
        Assert.That(OnlineCode.Timestamps(10), Is.EqualTo(new[] { 1, 2, 5, 10 }));
        Assert.That(OnlineCode.Timestamps(1), Is.EqualTo(new[] { 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => OnlineCode.Timestamps(0));
    }

    [Test]
    public void OnlineCodeLengthEqualsAHandComputation()
    {
        // Ten labels; blocks end at 1, 2, 5, 10. Block 1 (one label) costs log₂2 = 1 bit.
        // Block [1, 2) after [1]: p(0) = 1/3 → log₂3. Block [2, 5) after [1, 0]: p = 2/4 for each of 1, 1, 0 → 3 bits.
        // Block [5, 10) after [1, 0, 1, 1, 0]: p(1) = 4/7, p(0) = 3/7; labels 1, 1, 1, 0, 1 → 4·log₂(7/4) + log₂(7/3).
        var train = Labels(1, 0, 1, 1, 0, 1, 1, 1, 0, 1);
        var coder = new LaplaceCoder();
        var code = OnlineCode.Measure(coder, new ProbeProblem(Binary, train, Labels(0, 1)));

        var expected = 1 + Math.Log2(3) + 3 + 4 * Math.Log2(7.0 / 4) + Math.Log2(7.0 / 3);
        Assert.That(code.OnlineBits, Is.EqualTo(expected).Within(1e-12));
        Assert.That(expected, Is.EqualTo(10.036774).Within(1e-6), "the same sum worked out on paper");
        Assert.That(code.UniformBits, Is.EqualTo(10.0));
        Assert.That(code.Compression, Is.EqualTo(10.0 / expected).Within(1e-12));
        Assert.That(code.Timestamps, Is.EqualTo(new[] { 1, 2, 5, 10 }));
        Assert.That(coder.Calls, Is.EqualTo(new[] { (1, 1), (2, 3), (5, 5) }), "each block coded by a model fit on every row before it, and only those");
    }

    [TestCase(2, 10)]
    [TestCase(4, 13)]
    [TestCase(14, 205)]
    public void UniformCodeLengthIsNTimesLog2K(int classes, int rows)
    {
        var spec = new TaskSpec("k", false, [.. Enumerable.Range(0, classes).Select(i => $"c{i}")], [MetricKind.Accuracy], "K labels");
        var train = Labels([.. Enumerable.Range(0, rows).Select(i => i % classes)]);
        var code = OnlineCode.Measure(new UniformCoder(), new ProbeProblem(spec, train, Labels(0)));
        Assert.That(code.UniformBits, Is.EqualTo(rows * Math.Log2(classes)).Within(1e-9));
        Assert.That(code.OnlineBits, Is.EqualTo(code.UniformBits).Within(1e-9), "a probe that learns nothing codes every block uniformly");
        Assert.That(code.Compression, Is.EqualTo(1.0).Within(1e-12));
    }

    [Test]
    public void SoftmaxRegressionBitsAreMinusLog2OfItsOwnProbabilities()
    {
        var fixture = ProbeFixture.Load();
        var standardizer = Standardizer.Fit(fixture.Train);
        using var x = standardizer.Apply(fixture.Train);
        var labels = fixture.TrainLabels;
        foreach (var binary in new[] { false, true })
        {
            var rows = Enumerable.Range(0, labels.Length).Where(i => !binary || labels[i] < 2).ToArray();
            using var rowIndex = tensor(rows.Select(r => (long)r).ToArray());
            using var xs = x.index_select(0, rowIndex);
            var ys = rows.Select(r => labels[r]).ToArray();
            var model = SoftmaxRegression.Fit(xs, ys, ys.Max() + 1, c: 0.1);
            var values = xs.data<double>().ToArray();
            var expected = 0.0;
            for (var i = 0; i < ys.Length; i++)
            {
                // The model's probability worked out from its weights in plain arithmetic.
                var logits = Enumerable.Range(0, model.Bias.Length)
                    .Select(col => model.Bias[col] + Enumerable.Range(0, model.Features).Sum(f => values[i * model.Features + f] * model.Weights[f * model.Bias.Length + col])).ToArray();
                var p = binary
                    ? (ys[i] == 1 ? 1 / (1 + Math.Exp(-logits[0])) : 1 / (1 + Math.Exp(logits[0])))
                    : Math.Exp(logits[ys[i]]) / logits.Sum(Math.Exp);
                expected -= Math.Log2(p);
            }
            Assert.That(model.Bits(xs, ys), Is.EqualTo(expected).Within(1e-9 * expected), binary ? "binary (one sigmoid column)" : "multinomial");
        }
    }

    /// <summary>Three well-separated Gaussian clusters in 8 dimensions, labels in a seeded random order.</summary>
    static ProbeSplit Clusters(int rows, int seed, bool shuffleLabels = false)
    {
        var random = new Random(seed);
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(3)).ToArray();
        var data = new float[rows * 8];
        for (var i = 0; i < rows; i++)
            for (var f = 0; f < 8; f++)
                data[i * 8 + f] = (float)((f == labels[i] ? 3.0 : 0.0) + Normal(random));
        var coded = shuffleLabels ? [.. labels.OrderBy(_ => random.Next())] : labels;
        return new ProbeSplit(new FeatureMatrix(data, rows, 8), coded, [.. coded.Select(_ => 0.0)]);
    }

    static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Test]
    public void LinearProbeCompressesLabelsItsFeaturesCarryAndNotShuffledOnes()
    {
        var spec = new TaskSpec("clusters", false, ["a", "b", "c"], [MetricKind.Accuracy], "which cluster");
        var real = OnlineCode.Measure(new LinearProbe(), new ProbeProblem(spec, Clusters(200, 1), Clusters(50, 2)));
        var shuffled = OnlineCode.Measure(new LinearProbe(), new ProbeProblem(spec, Clusters(200, 1, shuffleLabels: true), Clusters(50, 2, shuffleLabels: true)));
        Assert.That(real.Compression, Is.GreaterThan(3), $"separable clusters: {real.OnlineBits:F1} of {real.UniformBits:F1} uniform bits");
        Assert.That(shuffled.Compression, Is.LessThan(1.1), $"labels unrelated to the features: {shuffled.OnlineBits:F1} of {shuffled.UniformBits:F1} bits");
    }

    [Test]
    public void AProbeFitOnOneRowCodesTheNextBlockUniformly()
    {
        // A fit on one row puts nearly all its mass on that row's label; validation, which holds the other
        // labels, costs it far more than log₂3 bits a label, so the uniform code is chosen.
        var spec = new TaskSpec("clusters", false, ["a", "b", "c"], [MetricKind.Accuracy], "which cluster");
        var rows = Clusters(60, 4);
        var problem = new ProbeProblem(spec, rows.Select([0]), rows.Select([.. Enumerable.Range(40, 20)]));
        Assert.That(new LinearProbe().CodeLength(problem, rows.Select([.. Enumerable.Range(1, 9)])), Is.EqualTo(9 * Math.Log2(3)).Within(1e-12));
        var learned = problem with { Train = rows.Select([.. Enumerable.Range(0, 40)]) };
        Assert.That(new LinearProbe().CodeLength(learned, rows.Select([.. Enumerable.Range(40, 20)])), Is.LessThan(20 * Math.Log2(3) / 2), "forty rows of separable clusters: a fit beats the uniform code");
    }

    [Test]
    public void ProbeRowsCarryTheCodeLengthsOfTaskAndControlLabels()
    {
        var checkpoint = new ProbedModel(ProbedModel.CheckpointRole, new CheckpointFeatureSource("tiny", TinyProbingWorld.SaveModel(TinyProbingWorld.TempDirectory("mdl-model"), seed: 1)));
        var settings = new ProbeSettings(["tiny-topic"], LayerSelection.Parse("last"), Pooling.Mean, "linear", Seeds: [1], TrainLimit: 100, MaxLength: 16, Mdl: true);
        using var store = new FeatureStore(null);
        var prober = new GeneralizationProbe(store, ProbeRegistry.Default);

        var (rows, _) = prober.ProbeTask(TinyProbingWorld.TopicTask(), [checkpoint], settings, null, ProbeStage.Generalization);
        var (plain, _) = prober.ProbeTask(TinyProbingWorld.TopicTask(), [checkpoint], settings with { Mdl = false }, null, ProbeStage.Generalization);

        var row = rows.Single();
        Assert.That(row.TrainExamples, Is.EqualTo(80));
        Assert.That(row.UniformBits, Is.EqualTo(80 * Math.Log2(3)).Within(1e-9), "n·log₂K over the probe's train rows");
        Assert.That(row.Compression, Is.EqualTo(row.UniformBits / row.OnlineBits).Within(1e-12));
        Assert.That(row.Compression, Is.GreaterThan(1), "topic words are in the mean-pooled features");
        Assert.That(row.ControlCompression, Is.Not.Null);
        Assert.That(row with { OnlineBits = null, UniformBits = null, Compression = null, ControlCompression = null }, Is.EqualTo(plain.Single()), "MDL adds columns and changes nothing else");
        Assert.That(plain.Single().OnlineBits, Is.Null);
    }

    [Test]
    public void ProbeFilesWrittenBeforeTheCodeLengthColumnsStillRead()
    {
        var path = Path.Combine(TinyProbingWorld.TempDirectory("old-probes"), "probes.csv");
        File.WriteAllText(path,
            "Protocol,Method,Stage,StageIndex,Model,Role,ModelHash,Seed,Task,Layer,Pooling,Probe,Metric,Dev,Test,Control,Selectivity,TrainExamples,ValidationExamples,Regularization\n" +
            "generalization,base,,0,base,base,0123456789ab,1,sotu-era,2,mean,linear,accuracy,0.5,0.25,,,205,51,0.1\n");
        var row = CsvTable.Read<ProbeRow>(path).Single();
        Assert.That((row.Task, row.Dev, row.TrainExamples, row.Regularization), Is.EqualTo(("sotu-era", 0.5, 205, 0.1)));
        Assert.That(new double?[] { row.OnlineBits, row.UniformBits, row.Compression, row.ControlCompression }, Is.All.Null);
    }
}
