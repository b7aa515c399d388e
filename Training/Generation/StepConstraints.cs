using static TorchSharp.torch;

namespace Probing.Training.Generation;

/// <summary>
/// The per-step rules both searches apply to next-token log-probabilities: no end token before the
/// minimum length, only the end token at the maximum length, and no repeated n-gram.
/// </summary>
public static class StepConstraints
{
    /// <param name="logProbabilities">Rows × vocabulary, changed in place (banned tokens become −∞).</param>
    /// <param name="generated">Each row's tokens so far (without the decoder start token).</param>
    public static void Apply(Tensor logProbabilities, IReadOnlyList<IReadOnlyList<int>> generated, GenerationOptions options, int endId)
    {
        var vocabulary = (int)logProbabilities.shape[1];
        var values = logProbabilities.data<float>();
        for (int row = 0; row < generated.Count; row++)
        {
            var length = generated[row].Count;
            if (length + 1 >= options.MaxLength)
            {
                for (int token = 0; token < vocabulary; token++)
                    if (token != endId) values[row, token] = float.NegativeInfinity;
                continue;
            }
            if (length < options.MinLength) values[row, endId] = float.NegativeInfinity;
            foreach (var token in RepeatingTokens(generated[row], options.NoRepeatNgramSize))
                values[row, token] = float.NegativeInfinity;
        }
    }

    /// <summary>The tokens that would complete an n-gram already present in <paramref name="tokens"/> (fairseq's and Hugging Face's rule).</summary>
    public static IEnumerable<int> RepeatingTokens(IReadOnlyList<int> tokens, int n)
    {
        if (n <= 0 || tokens.Count < n - 1) yield break;
        if (n == 1)
        {
            foreach (var token in tokens.Distinct()) yield return token;
            yield break;
        }
        var prefixStart = tokens.Count - (n - 1);
        for (int start = 0; start + n - 1 < tokens.Count; start++)
        {
            var matches = true;
            for (int i = 0; i < n - 1 && matches; i++) matches = tokens[start + i] == tokens[prefixStart + i];
            if (matches) yield return tokens[start + n - 1];
        }
    }
}
