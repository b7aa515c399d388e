using NUnit.Framework;
using Probing.Tests.Model;
using Probing.Training.Generation;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Tests.Generation;

/// <summary>
/// A toy model with known scores: next-token probabilities looked up by the row's prefix. Tokens:
/// 0 pad, 1 start, 2 end, 3 "A", 4 "B", 5 "C".
/// </summary>
sealed class TableScorer(Func<IReadOnlyList<int>, double[]> table, int rows) : IStepScorer
{
    public const int Start = 1, End = 2, A = 3, B = 4, C = 5, Vocabulary = 6;
    List<List<int>> prefixes = [.. Enumerable.Range(0, rows).Select(_ => new List<int>())];
    bool started;

    /// <summary>Probabilities over A, B, C and the end token (the rest get none), normalised.</summary>
    public static double[] P(double end, double a, double b, double c = 0)
    {
        var p = new double[Vocabulary];
        (p[End], p[A], p[B], p[C]) = (end, a, b, c);
        var sum = p.Sum();
        return [.. p.Select(x => x / sum)];
    }

    public Tensor NextLogProbabilities(long[] lastTokens)
    {
        if (started)
            for (int r = 0; r < prefixes.Count; r++) prefixes[r].Add((int)lastTokens[r]);
        started = true;
        Assert.That(lastTokens, Has.Length.EqualTo(prefixes.Count));
        var values = prefixes.SelectMany(p => table(p).Select(x => (float)Math.Log(x))).ToArray();
        return tensor(values, [prefixes.Count, Vocabulary]);
    }

    public void SelectRows(long[] rows) => prefixes = [.. rows.Select(r => new List<int>(prefixes[(int)r]))];

    public void Dispose() { }

    /// <summary>Probability of generating exactly <paramref name="tokens"/> then the end token.</summary>
    public static double SequenceProbability(Func<IReadOnlyList<int>, double[]> table, IReadOnlyList<int> tokens)
    {
        var p = 1.0;
        for (int i = 0; i <= tokens.Count; i++)
            p *= table([.. tokens.Take(i)])[i < tokens.Count ? tokens[i] : End];
        return p;
    }
}

public class SearchTests
{
    /// <summary>Greedy takes A (0.6) then A and ends: 0.6 · 0.36 · 0.9 = 0.194. B then the end token is worth 0.4 · 0.9 = 0.36.</summary>
    static double[] GreedyIsWrong(IReadOnlyList<int> prefix) => prefix switch
    {
        [] => TableScorer.P(end: 1e-6, a: 0.6, b: 0.4),
        [TableScorer.A] => TableScorer.P(end: 0.30, a: 0.36, b: 0.34),
        [TableScorer.B] => TableScorer.P(end: 0.90, a: 0.05, b: 0.05),
        _ => TableScorer.P(end: 0.90, a: 0.05, b: 0.05),
    };

    static int[] Greedy(Func<IReadOnlyList<int>, double[]> table, GenerationOptions options) =>
        GreedySearch.Run(new TableScorer(table, 1), 1, TableScorer.Start, TableScorer.End, options)[0];

    static int[] Beam(Func<IReadOnlyList<int>, double[]> table, GenerationOptions options) =>
        BeamSearch.Run(new TableScorer(table, options.BeamSize), 1, TableScorer.Start, TableScorer.End, options)[0];

    /// <summary>The best sequence by exhaustive enumeration of every output up to the maximum length: independent of both searches.</summary>
    static int[] BruteForceBest(Func<IReadOnlyList<int>, double[]> table, GenerationOptions options)
    {
        IEnumerable<int[]> All(int length) => length == 0 ? [[]]
            : All(length - 1).SelectMany(s => new[] { TableScorer.A, TableScorer.B, TableScorer.C }.Select(t => (int[])[.. s, t]));
        return Enumerable.Range(0, options.MaxLength).SelectMany(All)
            .MaxBy(s => Math.Log(TableScorer.SequenceProbability(table, s)) / Math.Pow(s.Length + 1, options.LengthPenalty))!;
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    public void BeamSearchFindsTheBestSequenceWhereGreedyDoesNot(double lengthPenalty)
    {
        var options = new GenerationOptions { BeamSize = 2, MaxLength = 5, LengthPenalty = lengthPenalty };
        var best = BruteForceBest(GreedyIsWrong, options);
        Assert.That(best, Is.EqualTo(new[] { TableScorer.B }), "the table is built so that B then the end token is best");
        Assert.That(Greedy(GreedyIsWrong, options), Is.EqualTo(new[] { TableScorer.A, TableScorer.A }), "greedy commits to A");
        Assert.That(Beam(GreedyIsWrong, options), Is.EqualTo(best));
    }

    [Test]
    public void LengthPenaltyDecidesBetweenAShortAndALongerOutput()
    {
        // End now: 0.5. A then end: 0.5 · 0.95 = 0.475 in total, but a better mean per token.
        double[] Table(IReadOnlyList<int> prefix) => prefix.Count == 0 ? TableScorer.P(end: 0.5, a: 0.5, b: 0) : TableScorer.P(end: 0.95, a: 0.05, b: 0);
        var sum = new GenerationOptions { BeamSize = 2, MaxLength = 4, LengthPenalty = 0 };
        var mean = sum with { LengthPenalty = 1 };
        Assert.That(Beam(Table, sum), Is.EqualTo(BruteForceBest(Table, sum)).And.Empty);
        Assert.That(Beam(Table, mean), Is.EqualTo(BruteForceBest(Table, mean)).And.EqualTo(new[] { TableScorer.A }));
    }

    [Test]
    public void NoRepeatNgramBlocksRepeats()
    {
        // The model loves A B A B …; C is its second choice, and the end token beats A after an A.
        double[] Table(IReadOnlyList<int> prefix) => prefix.Count > 0 && prefix[^1] == TableScorer.A
            ? TableScorer.P(end: 0.02, a: 0.01, b: 0.7, c: 0.27)
            : TableScorer.P(end: 0.01, a: 0.7, b: 0.02, c: 0.27);
        var free = new GenerationOptions { MaxLength = 8 };
        var blocked = free with { NoRepeatNgramSize = 2 };
        Assert.That(Greedy(Table, free), Is.EqualTo(new[] { 3, 4, 3, 4, 3, 4, 3 }), "without the constraint: A B A B A B A, then the forced end");
        // A B A, then B would repeat "A B": C; then A; then B and C would repeat "A B" and "A C": the end token.
        Assert.That(Greedy(Table, blocked), Is.EqualTo(new[] { 3, 4, 3, 5, 3 }));
        foreach (var output in new[] { Greedy(Table, blocked), Beam(Table, blocked with { BeamSize = 3 }) })
        {
            var bigrams = output.Zip(output.Skip(1), (x, y) => (x, y)).ToList();
            Assert.That(bigrams, Is.Unique, string.Join(" ", output));
        }
    }

    [Test]
    public void MinimumLengthBlocksTheEndToken()
    {
        static double[] Table(IReadOnlyList<int> prefix) => TableScorer.P(end: 0.9, a: 0.06, b: 0.04);
        Assert.That(Greedy(Table, new GenerationOptions { MaxLength = 6 }), Is.Empty, "the end token first, unconstrained");
        Assert.That(Greedy(Table, new GenerationOptions { MaxLength = 6, MinLength = 3 }), Is.EqualTo(new[] { 3, 3, 3 }));
        Assert.That(Beam(Table, new GenerationOptions { MaxLength = 6, MinLength = 3, BeamSize = 2 }), Has.Length.EqualTo(3));
    }

    [Test]
    public void MaximumLengthEndsEveryOutput()
    {
        static double[] Table(IReadOnlyList<int> prefix) => TableScorer.P(end: 0.001, a: 0.5, b: 0.499);
        Assert.That(Greedy(Table, new GenerationOptions { MaxLength = 4 }), Has.Length.EqualTo(3), "three tokens, the end token forced as the fourth");
        Assert.That(Beam(Table, new GenerationOptions { MaxLength = 4, BeamSize = 3 }), Has.Length.EqualTo(3));
    }

    [Test]
    public void RepeatingTokensFollowsTheNgramRule()
    {
        Assert.That(StepConstraints.RepeatingTokens([3, 4, 5, 3], 2), Is.EqualTo(new[] { 4 }));
        Assert.That(StepConstraints.RepeatingTokens([3, 4, 5, 3, 4], 3), Is.EqualTo(new[] { 5 }));
        Assert.That(StepConstraints.RepeatingTokens([3, 4, 5], 3), Is.Empty);
        Assert.That(StepConstraints.RepeatingTokens([3, 3], 1), Is.EqualTo(new[] { 3 }));
    }
}

/// <summary>Decoding with a real (tiny, random) seq2seq model.</summary>
public class SequenceGeneratorTests
{
    /// <summary>Larger initial weights than BERT's 0.02, so that a random model's outputs depend on the source.</summary>
    static Seq2SeqModel NewModel(int seed) => Seq2SeqModelTests.NewModel(seed, Seq2SeqModelTests.Tiny with { InitStd = 0.3 });

    static (Tensor Ids, Tensor Mask) Sources()
    {
        var batch = Seq2SeqBatch.FromIds([[0, 11, 12, 13, 2], [0, 14, 2], [0, 15, 16, 17, 18, 19, 2]], [[0], [0], [0]], 1, 2);
        return (batch.SourceIds, batch.SourceMask);
    }

    [Test]
    public void BeamSizeOneEqualsGreedy()
    {
        using var model = NewModel(seed: 5);
        var (ids, mask) = Sources();
        var options = new GenerationOptions { MaxLength = 12, MinLength = 3 };
        var greedy = SequenceGenerator.Generate(model, ids, mask, options);
        using var scorer = new Seq2SeqStepScorer(model, ids, mask);
        var beam = BeamSearch.Run(scorer, 3, model.Config.DecoderStartTokenId, model.Config.EosTokenId, options);
        Assert.That(beam, Is.EqualTo(greedy));
        Assert.That(greedy.Select(g => string.Join(" ", g)).Distinct().Count(), Is.GreaterThan(1), "the sources get different outputs");
    }

    [Test]
    public void BatchedDecodingEqualsDecodingEachSourceAlone()
    {
        using var model = NewModel(seed: 6);
        var (ids, mask) = Sources();
        foreach (var options in new[] { new GenerationOptions { MaxLength = 10, MinLength = 2 }, new GenerationOptions { MaxLength = 10, MinLength = 2, BeamSize = 3, NoRepeatNgramSize = 2 } })
        {
            var together = SequenceGenerator.Generate(model, ids, mask, options);
            for (int row = 0; row < 3; row++)
            {
                var length = mask[row].sum().item<long>();
                var alone = SequenceGenerator.Generate(model, ids[row].narrow(0, 0, length).unsqueeze(0), mask[row].narrow(0, 0, length).unsqueeze(0), options);
                Assert.That(together[row], Is.EqualTo(alone[0]), $"row {row}, beam {options.BeamSize}");
            }
        }
    }

    [Test]
    public void GreedyWithTheCacheEqualsGreedyByRecomputingThePrefix()
    {
        using var model = NewModel(seed: 8);
        var (ids, mask) = Sources();
        var cached = SequenceGenerator.Generate(model, ids, mask, new GenerationOptions { MaxLength = 10, MinLength = 9 });
        using var _ = no_grad();
        var memory = model.Encode(ids, mask);
        for (int row = 0; row < 3; row++)
        {
            var prefix = new List<long> { model.Config.DecoderStartTokenId };
            var rowMemory = new EncoderOutput([memory.Last[row].unsqueeze(0)], mask[row].unsqueeze(0));
            while (prefix.Count < 10)
            {
                var logits = model.DecoderLogits(tensor(prefix.ToArray(), [1, prefix.Count]), rowMemory);
                var next = logits[0, -1].index_fill(0, tensor(new long[] { model.Config.EosTokenId }), float.NegativeInfinity).argmax().item<long>();
                prefix.Add(next);
            }
            Assert.That(cached[row], Is.EqualTo(prefix.Skip(1).Select(t => (int)t).ToArray()), $"row {row}");
        }
    }
}
