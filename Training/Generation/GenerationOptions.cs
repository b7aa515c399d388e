using Probing.Training.Infrastructure;

namespace Probing.Training.Generation;

/// <summary>
/// How summaries are decoded. Lengths count generated tokens (the decoder start token not included,
/// the end-of-sequence token included in <see cref="MaxLength"/>), as fairseq's generator counts them;
/// Hugging Face's <c>max_length</c>/<c>min_length</c> also count the decoder start token.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>1 = greedy decoding.</summary>
    public int BeamSize { get; init; } = 1;
    /// <summary>
    /// α in fairseq's ranking of finished hypotheses: Σ log p / |y|^α, with |y| the generated tokens
    /// including the end token. 1 = mean log-probability per token, 0 = the plain sum (favours short
    /// outputs), above 1 favours longer ones.
    /// </summary>
    public double LengthPenalty { get; init; } = 1.0;
    /// <summary>The end token is blocked until this many tokens have been generated.</summary>
    public int MinLength { get; init; }
    /// <summary>At most this many generated tokens, the end token included (it is forced at the last one).</summary>
    public int MaxLength { get; init; } = 64;
    /// <summary>No n-gram of this size appears twice in an output (0 = no constraint).</summary>
    public int NoRepeatNgramSize { get; init; }

    public GenerationOptions Validate()
    {
        void Require(bool ok, string key, string expected)
        {
            if (!ok) throw new InputError($"{key}: expected {expected}");
        }
        Require(BeamSize >= 1, "beam_size", "at least 1");
        Require(MaxLength >= 1, "max_length", "at least 1");
        Require(MinLength >= 0 && MinLength < MaxLength, "min_length", $"0 or more and below max_length {MaxLength}");
        Require(NoRepeatNgramSize >= 0, "no_repeat_ngram_size", "0 (off) or more");
        Require(double.IsFinite(LengthPenalty), "length_penalty", "a finite number");
        return this;
    }
}
