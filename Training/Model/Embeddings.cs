using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// Word + position (+ segment) embeddings, then LayerNorm: the input half of an encoder or decoder
/// stack. The word lookup is exposed on its own so that R3F, SMART and FreeLB can perturb word
/// embeddings before the rest applies. The modules are registered in the owning stack under the
/// architecture's names (BERT's <c>embeddings.*</c>, BART's <c>embed_positions</c> and
/// <c>layernorm_embedding</c>); the owner applies dropout, so that it follows the owner's train/eval mode.
/// </summary>
public sealed class Embeddings
{
    readonly Embedding words, positions;
    readonly Embedding? segments;
    readonly LayerNorm norm;
    readonly EncoderConfig config;

    /// <param name="sharedWords">
    /// A word embedding owned elsewhere (BART's <c>model.shared</c>, tied between encoder, decoder and
    /// output projection): used but not registered here. Null: this stack owns its word embeddings.
    /// </param>
    public Embeddings(EncoderConfig config, ExplicitModule owner, StackNames names, Embedding? sharedWords = null)
    {
        this.config = config;
        words = sharedWords ?? nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        positions = nn.Embedding(config.MaxPositionEmbeddings + config.PositionOffset, config.HiddenSize);
        segments = config.HasSegments ? nn.Embedding(config.TypeVocabSize, config.HiddenSize) : null;
        norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        if (sharedWords is null) owner.RegisterAt(names.Words, words);
        owner.RegisterAt(names.Positions, positions);
        if (segments is not null) owner.RegisterAt(names.Segments!, segments);
        owner.RegisterAt(names.EmbeddingNorm, norm);
    }

    /// <summary>The word-embedding matrix (V × H), shared with the masked-LM decoder or BART's output projection.</summary>
    public Parameter WordMatrix => words.weight!;

    public Tensor LookUpWords(Tensor inputIds) => words.forward(inputIds);

    /// <summary>
    /// Adds positions (and segments) to (possibly perturbed) word embeddings B × T × H and normalises;
    /// <paramref name="pastLength"/> shifts the positions of a decoder continuing a cached prefix.
    /// </summary>
    public Tensor Complete(Tensor wordEmbeddings, Tensor? tokenTypeIds, Tensor attentionMask, long pastLength = 0)
    {
        using var positionIds = PositionIds(wordEmbeddings.shape[1], attentionMask, wordEmbeddings.device, pastLength);
        var scaled = config.ScaleEmbedding ? wordEmbeddings * Math.Sqrt(config.HiddenSize) : wordEmbeddings;
        var sum = scaled + positions.forward(positionIds);
        if (segments is not null) sum = sum + segments.forward(tokenTypeIds ?? zeros_like(attentionMask, dtype: int64));
        return norm.forward(sum);
    }

    /// <summary>
    /// Copies another stack's position table and embedding LayerNorm, moving rows by the difference
    /// of position offsets (BERT's position p is BART's row p + 2). A source's segment-0 vector is
    /// folded into the positions, since a stack without segments adds none (every workbench input is
    /// segment 0). Word embeddings are not copied: the owner of a shared matrix copies it once.
    /// </summary>
    public void CopyFrom(Embeddings source)
    {
        using var _ = no_grad();
        var rows = Math.Min(source.config.MaxPositionEmbeddings, config.MaxPositionEmbeddings);
        var copied = source.positions.weight!.narrow(0, source.config.PositionOffset, rows);
        if (source.segments is not null && segments is null) copied = copied + source.segments.weight![0];
        positions.weight!.narrow(0, config.PositionOffset, rows).copy_(copied);
        norm.weight!.copy_(source.norm.weight!);
        norm.bias!.copy_(source.norm.bias!);
    }

    /// <summary>
    /// BERT: 0..T-1. BART: the same plus 2. RoBERTa: real tokens count up from padding_idx + 1 and
    /// padding gets padding_idx, as Hugging Face derives them from <c>input_ids != pad</c>; the attention
    /// mask is that same pattern for batches built by <see cref="Text.TokenBatch"/>.
    /// </summary>
    Tensor PositionIds(long length, Tensor attentionMask, Device device, long pastLength)
    {
        if (!config.PositionsAfterPadding) return arange(pastLength + config.PositionOffset, pastLength + config.PositionOffset + length, dtype: int64, device: device);
        var real = attentionMask.to(int64);
        return real.cumsum(1) * real + config.PadTokenId;
    }
}
