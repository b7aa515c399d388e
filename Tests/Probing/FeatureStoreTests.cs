using NUnit.Framework;
using Probing.Probing.Features;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Tests.Probes;

public class FeatureStoreTests
{
    static CheckpointFeatureSource Source(string purpose, int seed = 1) =>
        new("tiny", TinyProbingWorld.SaveModel(TinyProbingWorld.TempDirectory(purpose), seed));

    [Test]
    public void CacheHitRunsNoEncoderForward()
    {
        var cache = TinyProbingWorld.TempDirectory("cache");
        var source = Source("model");
        var task = TinyProbingWorld.TopicTask();
        using var first = new FeatureStore(cache, batchSize: 16);
        var computed = TinyProbingWorld.Features(first, source, task);
        Assert.That(first.ForwardPasses, Is.EqualTo(4), "60 dev texts in batches of 16, one forward for all three layers");

        using var second = new FeatureStore(cache, batchSize: 16);
        var cached = TinyProbingWorld.Features(second, source, task);
        Assert.That(second.ForwardPasses, Is.Zero);
        Assert.That(second.CacheHits, Is.EqualTo(3));
        foreach (var layer in computed.Keys) Assert.That(cached[layer].Data, Is.EqualTo(computed[layer].Data));
    }

    [TestCase("truncate")]
    [TestCase("flip")]
    [TestCase("foreign")]
    public void DamagedCacheEntryIsRecomputedNotUsed(string damage)
    {
        var cache = TinyProbingWorld.TempDirectory("cache");
        var source = Source("model");
        var task = TinyProbingWorld.TopicTask();
        using (var store = new FeatureStore(cache)) TinyProbingWorld.Features(store, source, task);
        var expected = new FeatureStore(null).Get(source, task.Spec.Name, "dev", task.Dev, [2], Pooling.Mean, 16)[2];
        var file = new FeatureStore(cache).PathOf(new FeatureKey(source.ContentHash, task.Spec.Name, "dev", FeatureKey.HashTexts(task.Dev), 2, Pooling.Mean, 16));
        var bytes = File.ReadAllBytes(file);
        switch (damage)
        {
            case "truncate": File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]); break;
            case "flip": bytes[bytes.Length / 2] ^= 0x40; File.WriteAllBytes(file, bytes); break;
            default: FeatureCacheFile.Write(file, "another key", expected); break;
        }

        var messages = new List<string>();
        using var again = new FeatureStore(cache, log: messages.Add);
        var recovered = TinyProbingWorld.Features(again, source, task);
        Assert.That(again.ForwardPasses, Is.GreaterThan(0));
        Assert.That(again.CacheHits, Is.EqualTo(2), "the two intact layers still come from the cache");
        Assert.That(recovered[2].Data, Is.EqualTo(expected.Data));
        Assert.That(messages, Has.One.Contains(Path.GetFileName(file)));
        Assert.That(FeatureCacheFile.TryRead(file, new FeatureKey(source.ContentHash, task.Spec.Name, "dev", FeatureKey.HashTexts(task.Dev), 2, Pooling.Mean, 16).Describe(),
            task.Dev.Count, TinyProbingWorld.Config.HiddenSize, out _), Is.Not.Null, "the entry was rewritten");
    }

    [Test]
    public void RewrittenCheckpointIsNotServedFromTheCache()
    {
        var cache = TinyProbingWorld.TempDirectory("cache");
        var directory = TinyProbingWorld.TempDirectory("model");
        var task = TinyProbingWorld.TopicTask();
        var source = new CheckpointFeatureSource("tiny", TinyProbingWorld.SaveModel(directory, seed: 1));
        var before = source.ContentHash;
        using (var store = new FeatureStore(cache)) TinyProbingWorld.Features(store, source, task);

        var changed = new CheckpointFeatureSource("tiny", TinyProbingWorld.SaveModel(directory, seed: 2));
        using var again = new FeatureStore(cache);
        TinyProbingWorld.Features(again, changed, task);
        Assert.That(changed.ContentHash, Is.Not.EqualTo(before));
        Assert.That(again.ForwardPasses, Is.GreaterThan(0));
        Assert.That(again.CacheHits, Is.Zero);
    }

    [Test]
    public void BatchedExtractionMatchesOneTextAtATime()
    {
        var source = Source("model");
        var task = TinyProbingWorld.TopicTask(dev: 10);
        using var store = new FeatureStore(null, batchSize: 4);
        var batched = store.Get(source, "t", "dev", task.Dev, [1], Pooling.Mean, 16)[1];
        using var encoder = source.LoadEncoder();
        encoder.eval();
        using var _ = no_grad();
        for (var i = 0; i < task.Dev.Count; i++)
        {
            using var scope = NewDisposeScope();
            var ids = source.Tokenizer.Encode(task.Dev[i].Text1, null, 16).Ids.Select(v => (long)v).ToArray();
            var input = tensor(ids, [1, ids.Length]);
            var output = encoder.Forward(input, zeros_like(input), ones_like(input));
            var single = Pooling.Mean.Pool(output.HiddenStates[1], output.AttentionMask).data<float>().ToArray();
            Assert.That(batched.Row(i).ToArray(), Is.EqualTo(single).Within(1e-5), $"row {i}");
        }
    }

    [Test]
    public void RandomReferenceIsSeededAndShapedLikeItsModel()
    {
        var model = Source("model");
        var a = new RandomEncoderSource(model, seed: 3);
        Assert.That(new RandomEncoderSource(model, seed: 3).ContentHash, Is.EqualTo(a.ContentHash));
        Assert.That(new RandomEncoderSource(model, seed: 4).ContentHash, Is.Not.EqualTo(a.ContentHash));
        Assert.That(a.ContentHash, Is.Not.EqualTo(model.ContentHash));
        using var encoder = a.LoadEncoder();
        Assert.That(encoder.Config, Is.EqualTo(model.Config));
    }
}
