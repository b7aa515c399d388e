using NUnit.Framework;
using Probing.Training.Text;

namespace Probing.Tests.Text;

public class TokenBatchTests
{
    [Test]
    public void PadsToTheLongestWithPadIdAndMasksThePadding()
    {
        var items = new[]
        {
            new EncodedText([101, 7592, 102], [0, 0, 0]),
            new EncodedText([101, 2028, 102, 2048, 102], [0, 0, 0, 1, 1]),
        };

        var batch = TokenBatch.Pad(items, padId: 0);

        Assert.That((batch.BatchSize, batch.Length), Is.EqualTo((2, 5)));
        Assert.That(batch.Ids, Is.EqualTo(new long[] { 101, 7592, 102, 0, 0, 101, 2028, 102, 2048, 102 }));
        Assert.That(batch.TypeIds, Is.EqualTo(new long[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 }));
        Assert.That(batch.AttentionMask, Is.EqualTo(new long[] { 1, 1, 1, 0, 0, 1, 1, 1, 1, 1 }));
    }

    [Test]
    public void UsesTheGivenPadId() =>
        Assert.That(TokenBatch.Pad([new EncodedText([5], [0]), new EncodedText([5, 6], [0, 0])], padId: 9).Ids,
            Is.EqualTo(new long[] { 5, 9, 5, 6 }));
}
