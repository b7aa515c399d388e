using NUnit.Framework;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Training.Data;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using W = Probing.Tests.Protocols.ProtocolWorld;

namespace Probing.Tests.Protocols;

public class CollapseCurveTests
{
    static readonly string[] CurveTasks = [W.Topic, W.FoodFirst];

    static ProtocolContext Context(FeatureStore store, ProbeSettings settings, CurveSettings curve, ITrainingProgress? progress = null) =>
        new(W.Base, settings, store, ProbeRegistry.Default, W.Load, progress, curve: curve);

    [Test]
    public void GeneralizationDrawsACurvePerMethodSeedAndTaskAtStepZeroEveryIntervalAndTheEnd()
    {
        using var store = new FeatureStore(null);
        var settings = W.Settings(CurveTasks);
        var results = MethodGeneralization.Run(W.Animal, [W.Config("standard", steps: 7), W.Config("r4f", steps: 7)], [1, 2],
            Context(store, settings, new CurveSettings(CurveTasks, Every: 3, DevLimit: 20)), W.TempDirectory("curve"), randomSeed: 9);

        var rows = results.CurveRows;
        Assert.That(rows.Select(r => (r.Method, r.Seed, r.Step, r.Task)), Is.EquivalentTo(
            from m in new[] { "standard", "r4f" } from s in new[] { 1, 2 } from step in new[] { 0, 3, 6, 7 } from t in CurveTasks select (m, s, step, t)));
        Assert.That(rows.Select(r => (r.Protocol, r.Stage, r.StageIndex)), Is.All.EqualTo(("generalization", W.Animal, 1)));
        Assert.That(rows.Select(r => r.Layer), Is.All.EqualTo(2), "the deepest probed layer");
        Assert.That(rows.Select(r => (r.DevExamples, r.TrainExamples, r.Metric, r.Probe, r.Pooling)), Is.All.EqualTo((20, 60, "accuracy", "linear", "mean")));
        Assert.That(rows.Select(r => r.Dev), Is.All.InRange(0.0, 1.0));
        Assert.That(rows.Select(r => r.Seconds), Is.All.GreaterThanOrEqualTo(0));
        var startOf = rows.Where(r => r.Step == 0).GroupBy(r => (r.Seed, r.Task)).ToList();
        Assert.That(startOf.Select(g => g.Select(r => r.Dev).Distinct().Count()), Is.All.EqualTo(1), "step 0 is the base for every method");
    }

    [Test]
    public void StepZeroIsTheLinearProbeOfTheStartingEncoderOnTheSameRows()
    {
        using var store = new FeatureStore(null);
        var settings = W.Settings(CurveTasks, layers: "last");
        var results = MethodGeneralization.Run(W.Animal, [W.Config("standard", steps: 3)], [2],
            Context(store, settings, new CurveSettings([W.Topic], Every: 3, DevLimit: 20)), W.TempDirectory("curve-zero"), randomSeed: 9);
        var curveStart = results.CurveRows.Single(r => r.Step == 0);

        // The same probe worked out without the curve: the base's features of the seed's train sample and the curve's dev subset.
        var data = W.Load(W.Topic);
        var (train, validation) = TrainingSample.Draw(W.Topic, 2, data.Train.Count, settings.TrainLimit, settings.ValidationFraction);
        var dev = CollapseCurve.DevRows(W.Topic, data.Dev.Count, 20);
        IReadOnlyList<Example> examples = [.. train.Select(r => data.Train[r]), .. validation.Select(r => data.Train[r]), .. dev.Select(r => data.Dev[r])];
        using var encoder = W.Base.LoadEncoder();
        var features = new FeatureExtractor().Extract(encoder, W.Base.LoadTokenizer(), examples, [2], Pooling.Mean, settings.MaxLength)[0];
        var all = ProbeSplit.Of(features, examples);
        ProbeSplit Rows(int from, int count) => all.Select([.. Enumerable.Range(from, count)]);
        var devSplit = Rows(train.Length + validation.Length, dev.Length);
        var fitted = new LinearProbe().Fit(new ProbeProblem(data.Spec, Rows(0, train.Length), Rows(train.Length, validation.Length)), seed: 2);

        Assert.That(curveStart.Dev, Is.EqualTo(fitted.Predict(devSplit.Features).Score(data.Spec, devSplit).Primary));
        Assert.That(dev, Has.Length.EqualTo(20));
        Assert.That(dev, Is.Ordered.And.Unique);
        Assert.That(CollapseCurve.DevRows(W.Topic, data.Dev.Count, null), Is.EqualTo(Enumerable.Range(0, data.Dev.Count)));
    }

    [Test]
    public void AWarmStartFromANearbyFitReachesTheSameProbeInFewerIterations()
    {
        var data = W.Load(W.Topic);
        var random = new Random(3);
        // Features of a "later step": the same rows, slightly moved.
        ProbeSplit Split(IReadOnlyList<Example> examples, double noise) => new(new FeatureMatrix(
            [.. examples.SelectMany(e => Enumerable.Range(0, 6).Select(f => (float)((f == e.Label ? 1.5 : 0) + (f + e.Text1.Length % 5) * 0.1 + noise * random.NextDouble())))], examples.Count, 6),
            [.. examples.Select(e => e.Label)], [.. examples.Select(e => e.Score)]);
        var before = new ProbeProblem(data.Spec, Split(data.Train.Take(70).ToList(), 0.5), Split(data.Train.Skip(70).ToList(), 0.5));
        var after = before with { Train = before.Train with { Features = Nudge(before.Train.Features) }, Validation = before.Validation with { Features = Nudge(before.Validation.Features) } };
        var probe = new LinearProbe();

        var earlier = probe.Fit(before, warmStart: null);
        var cold = probe.Fit(after, warmStart: null);
        var warm = probe.Fit(after, warmStart: earlier);

        Assert.That(warm.Regularization, Is.EqualTo(cold.Regularization));
        Assert.That(warm.Iterations, Is.LessThan(cold.Iterations), $"warm {warm.Iterations} vs cold {cold.Iterations} L-BFGS iterations");
        var dev = Split(data.Dev, 0.5);
        Assert.That(warm.Probe.Predict(dev.Features).Labels, Is.EqualTo(cold.Probe.Predict(dev.Features).Labels), "the same optimum up to the solver's tolerance");
        Assert.That(probe.Fit(after, warmStart: warm).Iterations, Is.LessThanOrEqualTo(2 * (LinearProbe.CGrid.Length + 1)), "from its own solution: (almost) nothing left to do");
    }

    static FeatureMatrix Nudge(FeatureMatrix features) => new([.. features.Data.Select((v, i) => v + 0.02f * ((i * 7919) % 13 - 6) / 6)], features.Rows, features.Columns);

    [Test]
    public void AnInterruptedStageKeepsTheCurveUpToItsCheckpointAndRedrawsTheRest()
    {
        var settings = W.Settings(CurveTasks, layers: "last");
        var curve = new CurveSettings([W.Topic], Every: 2, DevLimit: 20);
        string[] chain = [W.Topic, W.Animal];
        ProtocolResults Chain(string root, ITrainingProgress? progress = null)
        {
            using var store = new FeatureStore(null);
            return DegradationChain.Run(chain, [W.Config("standard")], [1], Context(store, settings, curve, progress), root);
        }
        var whole = Chain(W.TempDirectory("curve-whole"));

        var root = W.TempDirectory("curve-resumed");
        Assert.Throws<Stopped>(() => Chain(root, new StopAt(W.Animal, step: 5)));
        var resumed = Chain(root);

        Assert.That(resumed.CurveRows.Select(r => (r.StageIndex, r.Step)), Is.EqualTo(whole.CurveRows.Select(r => (r.StageIndex, r.Step))));
        Assert.That(resumed.CurveRows.Select(r => (r.StageIndex, r.Step)), Is.EqualTo(new[] { (1, 0), (1, 2), (1, 4), (1, 6), (2, 0), (2, 2), (2, 4), (2, 6) }));
        var kept = resumed.CurveRows.Where(r => r.StageIndex == 1 || r.Step <= 3).Select(r => r with { Seconds = 0 });
        Assert.That(kept, Is.EqualTo(whole.CurveRows.Where(r => r.StageIndex == 1 || r.Step <= 3).Select(r => r with { Seconds = 0 })), "rows up to the step-3 checkpoint are read back");
        var redrawn = resumed.CurveRows.Where(r => r.StageIndex == 2 && r.Step > 3).ToList();
        var original = whole.CurveRows.Where(r => r.StageIndex == 2 && r.Step > 3).ToList();
        for (var i = 0; i < redrawn.Count; i++)
            Assert.That(redrawn[i].Dev, Is.EqualTo(original[i].Dev).Within(1.0 / 20 + 1e-9), "a cold start lands on the same fit up to the solver's tolerance");
    }

    sealed class Stopped : Exception;

    sealed class StopAt(string task, int step) : ITrainingProgress
    {
        public void Report(TrainingStatus status)
        {
            if (status.Phase.StartsWith(task + " ", StringComparison.Ordinal) && status.Step == step) throw new Stopped();
        }

        public void Message(string text) { }
    }
}
