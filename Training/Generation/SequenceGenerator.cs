using Probing.Training.Model;
using Probing.Training.Text;
using static TorchSharp.torch;

namespace Probing.Training.Generation;

/// <summary>
/// Decoding with a <see cref="Seq2SeqModel"/>: greedy for beam size 1, beam search otherwise, over a
/// batch of sources at once. The decoder starts from the model's decoder start token and stops at its
/// end token; outputs are the generated ids without the end token (the leading <c>&lt;s&gt;</c> /
/// <c>[CLS]</c> a BART-style model generates first is kept in the ids, counted in the lengths, and
/// dropped by <see cref="ITextTokenizer.Decode"/>).
/// </summary>
public static class SequenceGenerator
{
    /// <summary>Generated ids per source row (B × S ids and mask, padded on the right).</summary>
    public static int[][] Generate(Seq2SeqModel model, Tensor sourceIds, Tensor sourceMask, GenerationOptions options)
    {
        options.Validate();
        var wasTraining = model.training;
        model.eval();
        try
        {
            var sources = (int)sourceIds.shape[0];
            using var scorer = new Seq2SeqStepScorer(model, sourceIds, sourceMask, options.BeamSize);
            var (start, end) = (model.Config.DecoderStartTokenId, model.Config.EosTokenId);
            return options.BeamSize == 1
                ? GreedySearch.Run(scorer, sources, start, end, options)
                : BeamSearch.Run(scorer, sources, start, end, options);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>
    /// The summaries of <paramref name="documents"/>, <paramref name="batchSize"/> at a time: each document
    /// framed as the model's inputs are (<c>[CLS] … [SEP]</c>, <c>&lt;s&gt; … &lt;/s&gt;</c>) and cut to
    /// <paramref name="maxSourceLength"/> tokens (at most the model's positions), each output decoded to text.
    /// </summary>
    public static IReadOnlyList<string> Summarize(Seq2SeqModel model, ITextTokenizer tokenizer, IReadOnlyList<string> documents,
        GenerationOptions options, int maxSourceLength, int batchSize = 16)
    {
        var length = Math.Min(maxSourceLength, model.Config.MaxPositionEmbeddings);
        var summaries = new List<string>(documents.Count);
        for (int first = 0; first < documents.Count; first += batchSize)
        {
            using var scope = NewDisposeScope();
            var encoded = documents.Skip(first).Take(batchSize).Select(d => tokenizer.Encode(d, maxLength: length)).ToList();
            var batch = TokenBatch.Pad(encoded, tokenizer.PadId);
            var ids = tensor(batch.Ids, [batch.BatchSize, batch.Length]);
            var mask = tensor(batch.AttentionMask, [batch.BatchSize, batch.Length]);
            summaries.AddRange(Generate(model, ids, mask, options).Select(tokenizer.Decode));
        }
        return summaries;
    }
}
