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
        var maskBias = ((1 - attentionMask.to(wordEmbeddings.dtype)) * PaddingBias).unsqueeze(1).unsqueeze(2);
        var hidden = Embeddings.Complete(wordEmbeddings, tokenTypeIds, attentionMask);
        var states = new List<Tensor>(layers.Count + 1) { hidden };
        foreach (var layer in layers)
        {
            hidden = layer.Forward(hidden, maskBias);
            states.Add(hidden);
        }
        return new EncoderOutput(states, attentionMask);
    }
}
