namespace Probing.Training.Pretraining;

/// <summary>
/// Which examples form batch <c>step</c>: epoch after epoch, a seeded shuffle of all examples cut into
/// full batches. A pure function of (seed, step), so resuming needs no saved sampler state.
/// </summary>
public sealed class BatchOrder(int exampleCount, int batchSize, int seed)
{
    int cachedEpoch = -1;
    int[] permutation = [];

    public int BatchesPerEpoch => exampleCount / batchSize;

    public IReadOnlyList<int> Batch(int step)
    {
        var epoch = step / BatchesPerEpoch;
        if (epoch != cachedEpoch)
        {
            permutation = Enumerable.Range(0, exampleCount).ToArray();
            new Random(EpochSeed(seed, epoch)).Shuffle(permutation);
            cachedEpoch = epoch;
        }
        return new ArraySegment<int>(permutation, step % BatchesPerEpoch * batchSize, batchSize);
    }

    /// <summary>
    /// The same in every process. (HashCode.Combine is randomised per process, so a resumed, requeued
    /// or Slurm-run process used to draw other batches than the one it continued.)
    /// </summary>
    static int EpochSeed(int seed, int epoch) => (int)(unchecked((ulong)(uint)seed * 1_000_003UL + (uint)epoch) % int.MaxValue);
}
