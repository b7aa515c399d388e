using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// A batch-first, post-LayerNorm BERT-style encoder. Parameter names are Hugging Face
/// <c>BertModel</c>'s (<c>embeddings.*</c>, <c>encoder.layer.N.*</c>), without its pooler.
/// </summary>
public sealed class Encoder : ExplicitModule
{
    /// <summary>Added to attention scores of padding; exp() of it is exactly 0 in float32.</summary>
    const float PaddingBias = -1e9f;

    readonly ModuleList<TransformerLayer> layers;

    public Encoder(EncoderConfig config) : base("bert")
    {
        Config = config;
        Embeddings = new Embeddings(config);
        layers = new ModuleList<TransformerLayer>([.. Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new TransformerLayer(config))]);
        register_module("embeddings", Embeddings);
        register_module("encoder", new Named("layer", layers));
    }

    public EncoderConfig Config { get; }
    public Embeddings Embeddings { get; }

    /// <summary>Encodes token ids (B × T, int64); <paramref name="attentionMask"/> is 1 on real tokens.</summary>
    public EncoderOutput Forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) =>
        ForwardFromWordEmbeddings(Embeddings.LookUpWords(inputIds), tokenTypeIds, attentionMask);

    /// <summary>
    /// Encodes precomputed word embeddings (B × T × H): positions, segments, the embedding
    /// LayerNorm and dropout are applied here, exactly as on the ids path.
    /// </summary>
    public EncoderOutput ForwardFromWordEmbeddings(Tensor wordEmbeddings, Tensor tokenTypeIds, Tensor attentionMask)
    {
        var maskBias = MaskBias(attentionMask, wordEmbeddings.dtype);
        var hidden = Embeddings.Complete(wordEmbeddings, tokenTypeIds, attentionMask);
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
        var maskBias = MaskBias(attentionMask, wordEmbeddings.dtype);
        var hidden = Embeddings.Complete(wordEmbeddings, tokenTypeIds, attentionMask);
        for (int i = 0; i < layers.Count - 1; i++) hidden = layers[i].Forward(hidden, maskBias);
        return layers[^1].Forward(hidden, maskBias, queries: hidden[.., ..1]).squeeze(1);
    }

    static Tensor MaskBias(Tensor attentionMask, ScalarType dtype) =>
        ((1 - attentionMask.to(dtype)) * PaddingBias).unsqueeze(1).unsqueeze(2);
}
