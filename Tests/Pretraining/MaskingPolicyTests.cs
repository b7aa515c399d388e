using NUnit.Framework;
using Probing.Training.Pretraining;
using static TorchSharp.torch;

namespace Probing.Tests.Pretraining;

public class MaskingPolicyTests
{
    const int MaskId = 4, VocabSize = 1000;

    [Test]
    public void SelectsFifteenPercentAndSplitsThemEightyTenTen()
    {
        // 200 sequences of 100 tokens, ids 10..999; position 0 is special (like [CLS]).
        using var generator = new Generator(42);
        var ids = randint(10, VocabSize, [200, 100], dtype: int64, generator: generator);
        var special = zeros([200, 100], dtype: @bool);
        special[TensorIndex.Colon, 0] = tensor(true);
        var batch = new MaskingPolicy().Apply(ids, special, MaskId, VocabSize, generator);

        var selected = batch.Selected;
        double candidates = 200 * 99;
        var selectedCount = selected.sum().item<long>();
        Assert.That(selectedCount / candidates, Is.EqualTo(0.15).Within(0.01));
        Assert.That(selected[TensorIndex.Colon, 0].any().item<bool>(), Is.False, "special tokens are never selected");
        Assert.That(TensorAssert.Identical(batch.Labels, ids[selected]), Is.True, "labels are the original ids");

        var corrupted = batch.InputIds[selected];
        var original = ids[selected];
        double masked = corrupted.eq(MaskId).sum().item<long>();
        double unchanged = corrupted.eq(original).sum().item<long>();
        double replaced = selectedCount - masked - unchanged;
        // A random replacement equals the original with probability 1/1000: negligible here.
        Assert.That(masked / selectedCount, Is.EqualTo(0.8).Within(0.02));
        Assert.That(replaced / selectedCount, Is.EqualTo(0.1).Within(0.015));
        Assert.That(unchanged / selectedCount, Is.EqualTo(0.1).Within(0.015));
        Assert.That(TensorAssert.Identical(batch.InputIds[selected.logical_not()], ids[selected.logical_not()]), Is.True, "unselected tokens are untouched");
    }
}
