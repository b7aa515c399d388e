using static TorchSharp.torch;

namespace Probing.Training.Generation;

/// <summary>
/// What decoding asks of a model: the log-probabilities of every row's next token, one step at a
/// time. Each row is one hypothesis; the scorer keeps whatever state it needs (a decoder cache) per
/// row, and that state follows the rows when the search reorders or drops them.
/// </summary>
public interface IStepScorer : IDisposable
{
    /// <summary>Log-probabilities (rows × vocabulary, float32, on the CPU) of the next token, given the token each row appended last.</summary>
    Tensor NextLogProbabilities(long[] lastTokens);

    /// <summary>Keeps the given rows in the given order (a row may appear several times).</summary>
    void SelectRows(long[] rows);
}
