using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// A batch-first, post-LayerNorm transformer encoder: BERT's and RoBERTa's (Hugging Face
/// <c>BertModel</c> names: <c>embeddings.*</c>, <c>encoder.layer.N.*</c>, without its pooler), or
/// BART's encoder (<c>embed_tokens</c>, <c>embed_positions</c>, <c>layernorm_embedding</c>,
/// <c>layers.N.*</c>), chosen by <see cref="EncoderConfig.ModelType"/>.
/// </summary>
public sealed class Encoder : ExplicitModule
{
    /// <summary>Added to attention scores of padding; exp() of it is exactly 0 in float32.</summary>
    public const float PaddingBias = -1e9f;

    readonly ModuleList<TransformerLayer> layers;

    /// <param name="sharedWords">BART's shared word embedding, owned by the enclosing model; null: the encoder owns its own.</param>
    public Encoder(EncoderConfig config, Embedding? sharedWords = null) : base(config.ModelType == "bart" ? "encoder" : "bert")
    {
        Config = config;
        var names = StackNames.For(config.ModelType);
        Embeddings = new Embeddings(config, this, names, sharedWords);
        Layers = [.. Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new TransformerLayer(config, names.Layer, withCrossAttention: false))];
        layers = new ModuleList<TransformerLayer>([.. Layers]);
        RegisterAt(names.Layers, layers);
    }

    public EncoderConfig Config { get; }
    public Embeddings Embeddings { get; }
    public IReadOnlyList<TransformerLayer> Layers { get; }

    /// <summary>Encodes token ids (B × T, int64); <paramref name="attentionMask"/> is 1 on real tokens.</summary>
    public EncoderOutput Forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) =>
        ForwardFromWordEmbeddings(Embeddings.LookUpWords(inputIds), tokenTypeIds, attentionMask);

    /// <summary>
    /// Encodes precomputed word embeddings (B × T × H): positions, segments, the embedding
    /// LayerNorm and dropout are applied here, exactly as on the ids path. BART ignores the token types.
    /// </summary>
    public EncoderOutput ForwardFromWordEmbeddings(Tensor wordEmbeddings, Tensor tokenTypeIds, Tensor attentionMask)
    {
        var maskBias = PaddingBiasOf(attentionMask, wordEmbeddings.dtype);
        var hidden = Dropout(Embeddings.Complete(wordEmbeddings, tokenTypeIds, attentionMask), Config.HiddenDropoutProb);
        var states = new List<Tensor>(layers.Count + 1) { hidden };
        foreach (var layer in layers)
        {
            hidden = layer.Forward(hidden, maskBias);
            states.Add(hidden);
        }
        return new EncoderOutput(states, attentionMask);
    }

    /// <summary>
    /// The last layer's state at the first position ([CLS], B × H) from word embeddings: the same value as
    /// <see cref="ForwardFromWordEmbeddings"/>'s, but the last layer computes that position alone (its keys
    /// and values still cover every position). A classification head reads nothing else, and the
    /// skipped queries, feed-forward and norms are most of the last layer's work.
    /// </summary>
    public Tensor ClsFromWordEmbeddings(Tensor wordEmbeddings, Tensor tokenTypeIds, Tensor attentionMask)
    {
        var maskBias = PaddingBiasOf(attentionMask, wordEmbeddings.dtype);
        var hidden = Dropout(Embeddings.Complete(wordEmbeddings, tokenTypeIds, attentionMask), Config.HiddenDropoutProb);
        for (int i = 0; i < layers.Count - 1; i++) hidden = layers[i].Forward(hidden, maskBias);
        return layers[^1].Forward(hidden, maskBias, queries: hidden[.., ..1]).squeeze(1);
    }

    /// <summary>B × 1 × 1 × T: 0 on real tokens (mask 1), <see cref="PaddingBias"/> on padding.</summary>
    public static Tensor PaddingBiasOf(Tensor attentionMask, ScalarType dtype) =>
        ((1 - attentionMask.to(dtype)) * PaddingBias).unsqueeze(1).unsqueeze(2);
}
