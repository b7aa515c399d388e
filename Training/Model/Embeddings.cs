using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// Word + position + segment embeddings, then LayerNorm and dropout. The word lookup is exposed
/// on its own so that R3F, SMART and FreeLB can perturb word embeddings before the rest applies.
/// </summary>
public sealed class Embeddings : ExplicitModule
{
    readonly Embedding words, positions, segments;
    readonly LayerNorm norm;
    readonly FastDropout dropout;
    readonly EncoderConfig config;

    public Embeddings(EncoderConfig config) : base("embeddings")
    {
        this.config = config;
        words = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        positions = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        segments = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = new FastDropout(config.HiddenDropoutProb);
        register_module("word_embeddings", words);
        register_module("position_embeddings", positions);
        register_module("token_type_embeddings", segments);
        register_module("LayerNorm", norm);
        register_module("dropout", dropout);
    }

    /// <summary>The word-embedding matrix (V × H), shared with the masked-LM decoder.</summary>
    public Parameter WordMatrix => words.weight!;

    public Tensor LookUpWords(Tensor inputIds) => words.forward(inputIds);

    /// <summary>Adds positions and segments to (possibly perturbed) word embeddings B × T × H.</summary>
    public Tensor Complete(Tensor wordEmbeddings, Tensor tokenTypeIds, Tensor attentionMask)
    {
        using var positionIds = PositionIds(wordEmbeddings.shape[1], attentionMask, wordEmbeddings.device);
        var sum = wordEmbeddings + positions.forward(positionIds) + segments.forward(tokenTypeIds);
        return dropout.forward(norm.forward(sum));
    }

    /// <summary>
    /// BERT: 0..T-1. RoBERTa: real tokens count up from padding_idx + 1 and padding gets padding_idx,
    /// as Hugging Face derives them from <c>input_ids != pad</c>; the attention mask is that same
    /// pattern for batches built by <see cref="Text.TokenBatch"/>.
    /// </summary>
    Tensor PositionIds(long length, Tensor attentionMask, Device device)
    {
        if (!config.PositionsAfterPadding) return arange(length, dtype: int64, device: device);
        var real = attentionMask.to(int64);
        return real.cumsum(1) * real + config.PadTokenId;
    }
}
