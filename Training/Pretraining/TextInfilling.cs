namespace Probing.Training.Pretraining;

/// <summary>A corrupted sequence and, per position of the original, whether the corruption removed it.</summary>
public sealed record InfilledSequence(int[] Source, bool[] Removed);

/// <summary>
/// BART's text infilling (Lewis et al. 2020, §2.2; fairseq's <c>DenoisingDataset</c> with
/// <c>mask_length=span-poisson</c>, <c>replace_length=1</c>): span lengths are drawn from
/// Poisson(λ) until they cover <see cref="MaskRatio"/> of the tokens (the last one cut to fit), spans
/// start at distinct random tokens, every run of masked tokens becomes one mask token, and each
/// 0-length span inserts a mask token at a random place. The model must so infer how many tokens
/// a mask stands for. Spans are over word pieces, not whole words (fairseq's default masks whole
/// words); the first and last token ([CLS], [SEP]) are never masked.
/// </summary>
public sealed record TextInfilling(double MaskRatio = 0.3, double PoissonLambda = 3.0)
{
    public InfilledSequence Apply(ReadOnlySpan<int> sequence, int maskId, Random random)
    {
        var removed = new bool[sequence.Length];
        var body = sequence.Length - 2;
        var toMask = (int)Math.Ceiling(body * MaskRatio);
        if (body <= 0 || toMask == 0) return new InfilledSequence(sequence.ToArray(), removed);

        var lengths = SpanLengths(toMask, random);
        var spans = lengths.Where(l => l > 0).ToList();
        var starts = DistinctPositions(body, spans.Count, random);
        for (int s = 0; s < spans.Count; s++)
            for (int i = starts[s]; i < Math.Min(body, starts[s] + spans[s]); i++) removed[1 + i] = true;

        var source = new List<int>(sequence.Length) { sequence[0] };
        for (int i = 1; i <= body; i++)
        {
            if (!removed[i]) source.Add(sequence[i]);
            else if (!removed[i - 1]) source.Add(maskId);
        }
        foreach (var _ in lengths.Where(l => l == 0))
            source.Insert(1 + random.Next(source.Count), maskId);
        source.Add(sequence[^1]);
        return new InfilledSequence([.. source], removed);
    }

    /// <summary>Poisson(λ) draws until their sum reaches <paramref name="total"/>; the last one is cut so the sum equals it.</summary>
    List<int> SpanLengths(int total, Random random)
    {
        var lengths = new List<int>();
        var sum = 0;
        while (sum < total)
        {
            var length = Math.Min(Poisson(random), total - sum);
            lengths.Add(length);
            sum += length;
        }
        return lengths;
    }

    /// <summary>Knuth's method: count uniform draws until their product falls below e^−λ.</summary>
    int Poisson(Random random)
    {
        var limit = Math.Exp(-PoissonLambda);
        var k = 0;
        for (var product = random.NextDouble(); product > limit; product *= random.NextDouble()) k++;
        return k;
    }

    /// <summary><paramref name="count"/> distinct positions in 0..n−1, uniformly (a partial Fisher–Yates shuffle).</summary>
    static int[] DistinctPositions(int n, int count, Random random)
    {
        var positions = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < count; i++)
        {
            var j = i + random.Next(n - i);
            (positions[i], positions[j]) = (positions[j], positions[i]);
        }
        return positions[..count];
    }
}
