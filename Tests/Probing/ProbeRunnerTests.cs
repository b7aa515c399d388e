using NUnit.Framework;
using Probing.Probing.Controls;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Training.Model;

namespace Probing.Tests.Probes;

/// <summary>A probe written outside the library: nearest class mean. Registering it is the only step needed.</summary>
public sealed class NearestCentroidProbe : IProbe
{
    public string Name => "centroid";

    public IFittedProbe Fit(ProbeProblem problem, int seed)
    {
        var columns = problem.Train.Features.Columns;
        var centroids = Enumerable.Range(0, problem.Spec.Labels.Count).Select(label =>
        {
            var rows = Enumerable.Range(0, problem.Train.Count).Where(r => problem.Train.Labels[r] == label).ToList();
            return Enumerable.Range(0, columns).Select(c => rows.Count == 0 ? 0 : rows.Average(r => (double)problem.Train.Features.Row(r)[c])).ToArray();
        }).ToArray();
        return new Fitted(centroids);
    }

    sealed class Fitted(double[][] centroids) : IFittedProbe
    {
        public double Regularization => 0;

        public ProbePredictions Predict(FeatureMatrix features) => new([.. Enumerable.Range(0, features.Rows).Select(r =>
        {
            var row = features.Row(r).ToArray();
            return Enumerable.Range(0, centroids.Length).MinBy(c => centroids[c].Select((v, k) => (v - row[k]) * (v - row[k])).Sum());
        })], null);
    }
}

public class ProbeRunnerTests
{
    [Test]
    public void CustomProbeFromTheTestProjectRunsThroughTheRunner()
    {
        var checkpoint = new ProbedModel(ProbedModel.CheckpointRole, new CheckpointFeatureSource("tiny", TinyProbingWorld.SaveModel(TinyProbingWorld.TempDirectory("model"), seed: 1)));
        var random = new ProbedModel(ProbedModel.RandomRole, new RandomEncoderSource(checkpoint.Source, seed: 9));
        var registry = ProbeRegistry.Default.With("centroid", () => new NearestCentroidProbe());
        var settings = new ProbeSettings(["tiny-topic"], LayerSelection.Parse("all"), Pooling.Mean, "centroid", Seeds: [1, 2], MaxLength: 16);
        using var store = new FeatureStore(null);

        var (probes, cka) = new GeneralizationProbe(store, registry).ProbeTask(TinyProbingWorld.TopicTask(), [checkpoint, random], settings, checkpoint, ProbeStage.Generalization);

        Assert.That(probes, Has.Count.EqualTo(2 * 2 * 3), "models × seeds × layers");
        Assert.That(probes.Select(p => p.Probe), Is.All.EqualTo("centroid"));
        Assert.That(probes.Where(p => p.Layer == 0).Select(p => p.Dev), Is.All.GreaterThan(0.5), "mean-pooled word embeddings carry the topic (chance 0.33)");
        Assert.That(probes.Select(p => p.Test), Is.All.Not.Null);
        Assert.That(probes.Select(p => p.Control), Is.All.Not.Null);
        Assert.That(probes.Select(p => p.Selectivity), Is.EqualTo(probes.Select(p => p.Dev - p.Control)));
        Assert.That(probes.Select(p => p.TrainExamples + p.ValidationExamples), Is.All.EqualTo(150));
        Assert.That(cka.Select(c => (c.Model, c.Layer)), Is.EquivalentTo(new[] { ("random", 0), ("random", 1), ("random", 2) }));
        Assert.That(cka.Select(c => c.Cka), Is.All.InRange(0.0, 1.0));
    }

    [Test]
    public void TrainLimitSamplesPerSeedAndHoldsOutValidation()
    {
        var (train, validation) = TrainingSample.Draw("t", seed: 1, trainCount: 1000, limit: 256, validationFraction: 0.2);
        var (train2, _) = TrainingSample.Draw("t", seed: 2, trainCount: 1000, limit: 256, validationFraction: 0.2);
        Assert.That(train.Length + validation.Length, Is.EqualTo(256));
        Assert.That(validation, Has.Length.EqualTo(51));
        Assert.That(train.Intersect(validation), Is.Empty);
        Assert.That(train2, Is.Not.EqualTo(train));
        Assert.That(TrainingSample.Draw("t", 1, 1000, 256, 0.2).Train, Is.EqualTo(train), "deterministic for a seed");
    }

    [Test]
    public void ControlLabelsDependOnlyOnTheFirstContentWordType()
    {
        var task = TinyProbingWorld.TopicTask();
        var control = ControlTask.For(task.Spec, task.Train);
        var labels = control.Labels(task.Train);
        var byType = task.Train.Select((e, i) => (Type: ControlTask.WordType(e.Text1), Label: labels[i])).GroupBy(p => p.Type);
        Assert.That(byType.Select(g => g.Select(p => p.Label).Distinct().Count()), Is.All.EqualTo(1));
        Assert.That(ControlTask.WordType("The cat and a dog"), Is.EqualTo("cat"));
        Assert.That(labels.Distinct().Count(), Is.GreaterThan(1));
    }
}
