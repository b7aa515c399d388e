namespace Probing.Training.Data.Embedded;

/// <summary>
/// Assigns a group (a Brown document, a speech, a product, a synset) to train, dev or test by a
/// hash of its key, so every sentence of the group lands in the same split and two tasks built
/// from one source agree on which documents are held out.
/// </summary>
public static class SplitAssignment
{
    public const string Train = "train", Dev = "dev", Test = "test";
    public static readonly string[] Names = [Train, Dev, Test];

    public static string Of(string groupKey, double devFraction, double testFraction)
    {
        var unit = (SplitMix(StableRandom.Hash("split|" + groupKey)) >> 11) * (1.0 / (1UL << 53));
        return unit < testFraction ? Test : unit < testFraction + devFraction ? Dev : Train;
    }

    static ulong SplitMix(ulong x) => new StableRandom(x).NextULong();
}
