namespace Probing.Probing.Probes;

/// <summary>
/// A probe family that can state how probable each label is, as the online code needs (not only a
/// prediction): fit on some rows, how many bits it takes to transmit other rows' labels.
/// </summary>
public interface ILabelCoder
{
    /// <summary>
    /// −Σ log₂ p(y | x) in bits over <paramref name="block"/>'s rows, under a model of this family fit on
    /// <paramref name="train"/> alone, its regularization chosen by the same code length on
    /// <paramref name="validation"/> (which is never fit on: a refit would let early blocks be coded by a
    /// model that saw more rows than the ones transmitted before them).
    /// </summary>
    double CodeLength(ProbeProblem problem, ProbeSplit block);
}

/// <summary>
/// One online (prequential) code length (Voita &amp; Titov 2020, "Information-theoretic probing with
/// minimum description length"): the first block of labels sent with the uniform code, every later block
/// with a probe fit on all rows before it. In bits; <see cref="Compression"/> = uniform / online, 1 for a
/// representation from which the probe learns nothing, higher the more (and the sooner) it does.
/// </summary>
public sealed record OnlineCodeLength(int Examples, int Classes, IReadOnlyList<int> Timestamps, double UniformBits, double OnlineBits)
{
    public double Compression => UniformBits / OnlineBits;
}

/// <summary>
/// The online code over a probe problem's train rows, in the order given (the protocols' train samples are
/// a seeded random order already). Block ends are the paper's fractions of the rows,
/// <see cref="PaperFractions"/> (0.1 % … 100 %), each rounded down and at least one row, repeats dropped:
/// with a few hundred rows the first blocks shrink to single rows, and the first one (sent uniformly) is
/// one row. The probe's validation split chooses its regularization for every block (Voita &amp; Titov
/// stop early on a dev set; the linear probe may also choose the uniform code, as stopping before any
/// training would); dev and test are not used.
/// </summary>
public static class OnlineCode
{
    public static readonly IReadOnlyList<double> PaperFractions = [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.0625, 0.125, 0.25, 0.5, 1.0];

    /// <summary>The block ends t₁ &lt; t₂ &lt; … &lt; n for <paramref name="count"/> rows; the last is always n.</summary>
    public static int[] Timestamps(int count, IReadOnlyList<double>? fractions = null)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "the online code needs at least one row");
        var ends = (fractions ?? PaperFractions).Select(f => f is > 0 and <= 1 ? Math.Max(1, (int)Math.Floor(f * count)) : throw new ArgumentOutOfRangeException(nameof(fractions), $"fraction {f} is not in (0, 1]"));
        return [.. ends.Append(count).Distinct().Order()];
    }

    /// <summary>
    /// Online code length of the labels of <paramref name="problem"/>'s train split: t₁·log₂K for the first
    /// block, then <see cref="ILabelCoder.CodeLength"/> of rows [tᵢ, tᵢ₊₁) by a probe fit on rows [0, tᵢ).
    /// Uniform code length = n·log₂K (K = the task's label count).
    /// </summary>
    public static OnlineCodeLength Measure(ILabelCoder coder, ProbeProblem problem, IReadOnlyList<double>? fractions = null)
    {
        if (problem.Spec.IsRegression) throw new ArgumentException($"{problem.Spec.Name}: the online code is defined for classification", nameof(problem));
        var train = problem.Train;
        var classes = problem.Spec.Labels.Count;
        var ends = Timestamps(train.Count, fractions);
        var bitsPerLabel = Math.Log2(classes);
        var online = ends[0] * bitsPerLabel;
        for (var i = 0; i + 1 < ends.Length; i++)
        {
            var prefix = train.Select([.. Enumerable.Range(0, ends[i])]);
            var block = train.Select([.. Enumerable.Range(ends[i], ends[i + 1] - ends[i])]);
            online += coder.CodeLength(problem with { Train = prefix }, block);
        }
        return new OnlineCodeLength(train.Count, classes, ends, train.Count * bitsPerLabel, online);
    }
}
