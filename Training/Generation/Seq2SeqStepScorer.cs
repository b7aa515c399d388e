using Probing.Training.Infrastructure;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Generation;

/// <summary>
/// A <see cref="Seq2SeqModel"/> as a step scorer: the encoder runs once, and the decoder continues
/// each row from its key/value cache, one token a step. The encoder's output and the cache follow
/// the rows (see <see cref="DecoderCache"/> for why a cache rather than recomputation).
/// </summary>
public sealed class Seq2SeqStepScorer : IStepScorer
{
    readonly Seq2SeqModel model;
    readonly DecoderCache cache;
    Tensor memoryStates, memoryMask;

    /// <param name="rowsPerSource">Rows each source starts with (the beam size): its encoding is repeated that often.</param>
    public Seq2SeqStepScorer(Seq2SeqModel model, Tensor sourceIds, Tensor sourceMask, int rowsPerSource = 1)
    {
        this.model = model;
        cache = model.NewCache();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var memory = model.Encode(sourceIds.to(TorchRuntime.Device), sourceMask.to(TorchRuntime.Device));
        memoryStates = memory.Last.repeat_interleave(rowsPerSource, 0).DetachFromDisposeScope();
        memoryMask = memory.AttentionMask.repeat_interleave(rowsPerSource, 0).DetachFromDisposeScope();
    }

    public Tensor NextLogProbabilities(long[] lastTokens)
    {
        using var _ = no_grad();
        var tokens = tensor(lastTokens, [lastTokens.Length, 1]).to(TorchRuntime.Device);
        var logits = model.DecoderLogits(tokens, new EncoderOutput([memoryStates], memoryMask), cache);
        return logits.select(1, 0).to(ScalarType.Float32).log_softmax(-1).cpu().contiguous();
    }

    public void SelectRows(long[] rows)
    {
        using var scope = NewDisposeScope();
        var index = tensor(rows).to(TorchRuntime.Device);
        cache.SelectRows(index);
        Replace(ref memoryStates, memoryStates.index_select(0, index));
        Replace(ref memoryMask, memoryMask.index_select(0, index));
    }

    static void Replace(ref Tensor slot, Tensor value)
    {
        var previous = slot;
        slot = value.DetachFromDisposeScope();
        previous.Dispose();
    }

    public void Dispose()
    {
        cache.Dispose();
        memoryStates.Dispose();
        memoryMask.Dispose();
    }
}
