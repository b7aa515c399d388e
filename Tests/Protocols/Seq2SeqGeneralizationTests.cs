using NUnit.Framework;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Tests.FineTuning;

namespace Probing.Tests.Protocols;

/// <summary>The generalization protocol on a generator: fine-tune a tiny seq2seq model, probe its encoder.</summary>
public class Seq2SeqGeneralizationTests
{
    static ProtocolContext Context(FeatureStore store) =>
        new(Seq2SeqFineTunerTests.Model, ProtocolWorld.Settings([ProtocolWorld.Topic], layers: "1"), store, ProbeRegistry.Default, ProtocolWorld.Load);

    [Test]
    public void ProbesEachFineTunedEncoderBesideTheReferencesAndReadsItBack()
    {
        var task = Seq2SeqFineTunerTests.Task();
        var methods = new[] { Seq2SeqFineTunerTests.Quick("standard", steps: 4), Seq2SeqFineTunerTests.Quick("r3f", steps: 4) };
        var root = ProtocolWorld.TempDirectory("seq2seq-generalization");
        ProtocolResults results;
        using (var store = new FeatureStore(null, 16))
            results = Seq2SeqGeneralization.Run(task, methods, [1], Context(store), root, randomSeed: 1);

        Assert.That(results.Probes.Select(r => (r.Role, r.Method, r.StageIndex)).Distinct(), Is.EquivalentTo(new[]
        {
            (ProbedModel.BaseRole, ProbedModel.BaseRole, 0), (ProbedModel.RandomRole, ProbedModel.RandomRole, 0),
            (ProbedModel.CheckpointRole, "standard", 1), (ProbedModel.CheckpointRole, "r3f", 1),
        }));
        Assert.That(results.Stages.Select(s => (s.Method, s.Stage, s.Metric)), Is.EqualTo(new[] { ("standard", task.Name, "rougeL"), ("r3f", task.Name, "rougeL") }));

        // The stage is the same fine-tuning as `finetune` on the task: same config and seed, same ROUGE-L and weights.
        var alone = Seq2SeqFineTunerTests.Run(methods[0] with { Seed = 1 }, ProtocolWorld.TempDirectory("seq2seq-alone"));
        Assert.That(results.Stages[0].Dev, Is.EqualTo(alone.Best["rougeL"].Value));
        var stage = Path.Combine(root, MethodGeneralization.FineTuneFolder, "standard-seed1", $"stage-01-{task.Name}");
        Assert.That(File.ReadAllBytes(Path.Combine(stage, "last", "model.safetensors")), Is.EqualTo(File.ReadAllBytes(Path.Combine(alone.LastFolder, "model.safetensors"))));
        Assert.That(Directory.Exists(Path.Combine(stage, "checkpoints")), Is.False, "a finished stage's checkpoints are deleted");

        // A second run reads every finished stage back instead of fine-tuning again.
        File.Delete(Path.Combine(stage, "last", "model.safetensors"));
        using var again = new FeatureStore(null, 16);
        var readBack = Seq2SeqGeneralization.Run(task, methods, [1], Context(again), root, randomSeed: 1);
        Assert.That(readBack.Probes, Is.EqualTo(results.Probes));
        Assert.That(readBack.Stages, Is.EqualTo(results.Stages));
        Assert.That(File.Exists(Path.Combine(stage, "last", "model.safetensors")), Is.False, "nothing was fine-tuned again");
    }
}
