using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// One teacher-forced seq2seq batch (all B × length, int64, padded on the right): source ids and mask,
/// the decoder's inputs (the labels shifted right behind the decoder start token, as Hugging Face's
/// <c>shift_tokens_right</c> and fairseq's <c>prev_output_tokens</c> build them), the labels, and the
/// labels' mask (1 on real target tokens: the positions a loss counts).
/// </summary>
public sealed record Seq2SeqBatch(Tensor SourceIds, Tensor SourceMask, Tensor DecoderInputIds, Tensor Labels, Tensor LabelMask)
{
    public long Size => SourceIds.shape[0];

    /// <summary>
    /// The entries of <paramref name="perPosition"/> (B × T × …) at the real target positions (label mask 1),
    /// row by row: N × …, N the batch's target tokens. The losses read only these, so the decoder's
    /// states at padded positions are never projected onto the vocabulary.
    /// </summary>
    public Tensor AtTargets(Tensor perPosition) => AtPositions(perPosition, LabelMask);

    /// <summary>The labels at the real target positions (N), in <see cref="AtTargets"/>' order.</summary>
    public Tensor TargetLabels() => AtTargets(Labels);

    /// <summary>The entries of <paramref name="perPosition"/> (B × T × …) where <paramref name="mask"/> (B × T) is nonzero, row by row.</summary>
    public static Tensor AtPositions(Tensor perPosition, Tensor mask) => perPosition.flatten(0, 1).index_select(0, mask.flatten().nonzero().squeeze(1));

    /// <summary>The batch followed by itself (2B rows): one pass over two inputs of the same texts, as R3F's clean and noisy ones.</summary>
    public Seq2SeqBatch Twice() => new(cat([SourceIds, SourceIds]), cat([SourceMask, SourceMask]), cat([DecoderInputIds, DecoderInputIds]), cat([Labels, Labels]), cat([LabelMask, LabelMask]));

    /// <summary>
    /// Pads sources and labels (each already framed with its special tokens, e.g. <c>&lt;s&gt; … &lt;/s&gt;</c>)
    /// and builds the decoder inputs <c>[start] + labels[:-1]</c>.
    /// </summary>
    public static Seq2SeqBatch FromIds(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> labels, int padId, int decoderStartId)
    {
        if (sources.Count != labels.Count || sources.Count == 0) throw new ArgumentException("expected as many labels as sources, at least one");
        var (sourceIds, sourceMask) = Pad(sources, padId);
        var decoderInputs = labels.Select(l => l.Length == 0 ? l : [decoderStartId, .. l[..^1]]).ToList();
        var (decoderIds, _) = Pad(decoderInputs, padId);
        var (labelIds, labelMask) = Pad(labels, padId);
        return new Seq2SeqBatch(sourceIds, sourceMask, decoderIds, labelIds, labelMask);
    }

    static (Tensor Ids, Tensor Mask) Pad(IReadOnlyList<int[]> rows, int padId)
    {
        var length = rows.Max(r => r.Length);
        var ids = new long[rows.Count * length];
        var mask = new long[rows.Count * length];
        Array.Fill(ids, padId);
        for (int r = 0; r < rows.Count; r++)
            for (int t = 0; t < rows[r].Length; t++)
            {
                ids[r * length + t] = rows[r][t];
                mask[r * length + t] = 1;
            }
        return (tensor(ids, [rows.Count, length]), tensor(mask, [rows.Count, length]));   // device: built on the CPU, moved by Seq2SeqFineTuner.OnDevice
    }
}
