using NUnit.Framework;
using Probing.Probing.Features;
using Probing.Probing.Protocols;
using Probing.Training.Infrastructure;
using W = Probing.Tests.Protocols.ProtocolWorld;

namespace Probing.Tests.Protocols;

public class ProtocolTests
{
    static readonly string[] Chain = [W.Topic, W.Animal, W.FoodFirst];

    static ProtocolResults RunChain(string root, IReadOnlyList<string> methods, IReadOnlyList<int> seeds, ITrainingProgress? progress = null)
    {
        using var store = new FeatureStore(null);
        return DegradationChain.Run(Chain, [.. methods.Select(m => W.Config(m))], seeds, W.Context(store, W.Settings([]), progress), root);
    }

    [Test]
    public void ChainProbesTheFirstAndEveryEarlierTaskAfterEachStage()
    {
        var results = RunChain(W.TempDirectory("chain"), ["standard", "r3f"], [1, 2]);

        Assert.That(results.Stages, Has.Count.EqualTo(2 * 2 * 3), "methods × seeds × fine-tuned stages");
        Assert.That(results.Stages.Select(s => (s.StageIndex, s.Stage)).Distinct(), Is.EquivalentTo(new[] { (1, W.Topic), (2, W.Animal), (3, W.FoodFirst) }));
        Assert.That(results.Stages.Select(s => s.Dev), Is.All.InRange(0.0, 1.0));
        Assert.That(results.Stages.Select(s => s.Steps), Is.All.EqualTo(6));
        foreach (var method in new[] { "standard", "r3f" })
            foreach (var seed in new[] { 1, 2 })
            {
                var rows = results.Probes.Where(r => r.Method == method && r.Seed == seed).ToList();
                Assert.That(rows, Has.Count.EqualTo((1 + 1 + 2 + 3) * 3), $"{method} seed {seed}: (stage tasks 1+1+2+3) × layers 0..2");
                var tasksPerStage = rows.GroupBy(r => r.StageIndex).ToDictionary(g => g.Key, g => g.Select(r => r.Task).Distinct().Order().ToArray());
                Assert.That(tasksPerStage.Keys, Is.EquivalentTo(new[] { 0, 1, 2, 3 }));
                Assert.That(tasksPerStage[0], Is.EqualTo(new[] { W.Topic }));
                Assert.That(tasksPerStage[1], Is.EqualTo(new[] { W.Topic }));
                Assert.That(tasksPerStage[2], Is.EquivalentTo(new[] { W.Topic, W.Animal }));
                Assert.That(tasksPerStage[3], Is.EquivalentTo(Chain));
                Assert.That(rows.Where(r => r.StageIndex == 0).Select(r => (r.Stage, r.Role)), Is.All.EqualTo(("base", "base")));
                Assert.That(rows.Where(r => r.StageIndex > 0).Select(r => r.Role), Is.All.EqualTo("checkpoint"));
                var cka = results.Cka.Where(c => c.Method == method && c.Seed == seed).ToList();
                Assert.That(cka.Select(c => (c.StageIndex, c.Layer)), Is.EquivalentTo(from k in Enumerable.Range(0, 4) from l in Enumerable.Range(0, 3) select (k, l)));
                Assert.That(cka.Select(c => c.Task), Is.All.EqualTo(W.Topic));
                Assert.That(cka.Where(c => c.StageIndex == 0).Select(c => c.Cka), Is.All.EqualTo(1.0).Within(1e-6), "the base against itself");
            }
        Assert.That(results.Probes.Select(r => r.Protocol).Distinct(), Is.EqualTo(new[] { "chain" }));
        var afterStage3 = results.Probes.Where(r => r.StageIndex == 3 && r.Seed == 1).Select(r => r.ModelHash).Distinct();
        Assert.That(afterStage3.Count(), Is.EqualTo(2), "each method's chain is its own encoder");
    }

    [Test]
    public void RetentionProbesEveryTaskAfterEveryStageOfEveryCycle()
    {
        using var store = new FeatureStore(null);
        string[] tasks = [W.Topic, W.Animal];
        var results = RetentionCycles.Run(tasks, cycles: 2, [W.Config("standard"), W.Config("r4f")], [3], W.Context(store, W.Settings([], layers: "last")), W.TempDirectory("retention"));

        Assert.That(results.Stages.Select(s => (s.Method, s.StageIndex, s.Stage)), Is.EqualTo(new[]
        {
            ("standard", 1, W.Topic), ("standard", 2, W.Animal), ("standard", 3, W.Topic), ("standard", 4, W.Animal),
            ("r4f", 1, W.Topic), ("r4f", 2, W.Animal), ("r4f", 3, W.Topic), ("r4f", 4, W.Animal),
        }));
        Assert.That(results.Stages.Select(s => s.Seed), Is.All.EqualTo(3));
        Assert.That(results.Probes, Has.Count.EqualTo(2 * 5 * 2), "methods × stages 0..4 × tasks (last layer only)");
        Assert.That(results.Probes.Select(r => r.Layer), Is.All.EqualTo(2));
        Assert.That(results.Probes.Select(r => (r.Method, r.StageIndex, r.Task)), Is.EquivalentTo(
            from m in new[] { "standard", "r4f" } from k in Enumerable.Range(0, 5) from t in tasks select (m, k, t)));
        Assert.That(results.Probes.Select(r => r.Protocol), Is.All.EqualTo("retention"));
        Assert.That(results.Cka, Has.Count.EqualTo(2 * 5 * 3), "CKA at every layer whatever --layers");
    }

    [Test]
    public void InterruptedChainResumesToTheSameRows()
    {
        var whole = RunChain(W.TempDirectory("chain-whole"), ["standard"], [1]);

        var root = W.TempDirectory("chain-resumed");
        Assert.Throws<Interrupted>(() => RunChain(root, ["standard"], [1], new InterruptAt(W.FoodFirst, step: 5)));
        var counter = new CountSteps();
        var resumed = RunChain(root, ["standard"], [1], counter);

        Assert.That(counter.Steps, Is.EqualTo(new[] { 4, 5, 6 }), "stages 1 and 2 were read back, stage 3 resumed from its step-3 checkpoint");
        Assert.That(resumed.Probes, Is.EqualTo(whole.Probes), "every column of probes.csv, numbers compared exactly");
        Assert.That(resumed.Cka, Is.EqualTo(whole.Cka));
        Assert.That(resumed.Stages.Select(s => s with { TrainSeconds = 0 }), Is.EqualTo(whole.Stages.Select(s => s with { TrainSeconds = 0 })), "all but the time");
    }

    [Test]
    public void GeneralizationWritesTheReferencesOnceAndOneFineTunedSetPerMethodAndSeed()
    {
        using var store = new FeatureStore(null);
        var settings = W.Settings([W.Topic, W.FoodFirst]);
        var results = MethodGeneralization.Run(W.Animal, [W.Config("standard"), W.Config("r3f")], [1, 2], W.Context(store, settings), W.TempDirectory("generalization"), randomSeed: 9);

        foreach (var reference in new[] { "base", "random" })
        {
            var rows = results.Probes.Where(r => r.Role == reference).ToList();
            Assert.That(rows, Has.Count.EqualTo(2 * 2 * 3), $"{reference}: tasks × seeds × layers, once for all methods");
            Assert.That(rows.Select(r => r.Method), Is.All.EqualTo(reference));
            Assert.That(rows.Select(r => r.StageIndex), Is.All.EqualTo(0));
        }
        var tuned = results.Probes.Where(r => r.Role == "checkpoint").ToList();
        Assert.That(tuned.GroupBy(r => (r.Method, r.Seed)).Select(g => (g.Key, g.Count())), Is.EquivalentTo(
            from m in new[] { "standard", "r3f" } from s in new[] { 1, 2 } select ((m, s), 2 * 3)));
        Assert.That(tuned.Select(r => (r.Stage, r.StageIndex)), Is.All.EqualTo((W.Animal, 1)));
        Assert.That(tuned.Select(r => r.Task).Distinct(), Is.EquivalentTo(new[] { W.Topic, W.FoodFirst }), "the fine-tuning task is not probed");
        Assert.That(results.Stages.Select(s => (s.Method, s.Seed, s.Stage)), Is.EquivalentTo(
            from m in new[] { "standard", "r3f" } from s in new[] { 1, 2 } select (m, s, W.Animal)));
        var randomCka = results.Cka.Where(c => c.Method == "random").ToList();
        Assert.That(randomCka, Has.Count.EqualTo(2 * 3));
        Assert.That(randomCka.Select(c => c.Seed), Is.All.Null, "the random reference's CKA does not depend on a run seed");
        Assert.That(results.Cka.Where(c => c.Role == "checkpoint").ToList(), Has.Count.EqualTo(4 * 2 * 3));
    }

    sealed class Interrupted : Exception;

    sealed class InterruptAt(string task, int step) : ITrainingProgress
    {
        public void Report(TrainingStatus status)
        {
            if (status.Phase.StartsWith(task + " ", StringComparison.Ordinal) && status.Step == step) throw new Interrupted();
        }

        public void Message(string text) { }
    }

    sealed class CountSteps : ITrainingProgress
    {
        public List<int> Steps { get; } = [];
        public void Report(TrainingStatus status) => Steps.Add(status.Step);
        public void Message(string text) { }
    }
}
