using Probing.Training.Data.Summarization;
using Probing.Training.Model;
using Probing.Training.Text;

namespace Probing.Training.FineTuning;

/// <summary>
/// A summarization split as token ids: each document framed and cut to the source length, each
/// summary framed (<c>[CLS] … [SEP]</c> or <c>&lt;s&gt; … &lt;/s&gt;</c>, as denoising built its targets)
/// and cut to the target length; batches are teacher-forced <see cref="Seq2SeqBatch"/>es.
/// </summary>
public sealed class Seq2SeqExamples
{
    readonly int[][] sources, targets;
    readonly int padId, decoderStartId;

    public Seq2SeqExamples(IReadOnlyList<SummaryExample> examples, ITextTokenizer tokenizer, Seq2SeqConfig model, int maxSource, int maxTarget)
    {
        var positions = model.MaxPositionEmbeddings;
        sources = [.. examples.Select(e => tokenizer.Encode(e.Document, maxLength: Math.Min(maxSource, positions)).Ids)];
        targets = [.. examples.Select(e => tokenizer.Encode(e.Summary, maxLength: Math.Min(maxTarget, positions)).Ids)];
        padId = model.PadTokenId;
        decoderStartId = model.DecoderStartTokenId;
    }

    public int Count => sources.Length;

    public Seq2SeqBatch Batch(IReadOnlyList<int> indices) =>
        Seq2SeqBatch.FromIds([.. indices.Select(i => sources[i])], [.. indices.Select(i => targets[i])], padId, decoderStartId);
}
