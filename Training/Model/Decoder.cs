using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// BART's decoder (Hugging Face <c>BartDecoder</c> names: <c>embed_positions</c>, <c>layernorm_embedding</c>,
/// <c>layers.N.self_attn.*</c>, <c>layers.N.encoder_attn.*</c>, …): the encoder's embeddings and layers
/// with causal self-attention and a cross-attention sub-layer over the encoder's output. Its word
/// embeddings are the model's shared ones.
/// </summary>
public sealed class Decoder : ExplicitModule
{
    readonly ModuleList<TransformerLayer> layers;

    public Decoder(EncoderConfig config, Embedding sharedWords) : base("decoder")
    {
        Config = config;
        var names = StackNames.For(config.ModelType);
        Embeddings = new Embeddings(config, this, names, sharedWords);
        Layers = [.. Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new TransformerLayer(config, names.Layer, withCrossAttention: true))];
        layers = new ModuleList<TransformerLayer>([.. Layers]);
        RegisterAt(names.Layers, layers);
    }

    public EncoderConfig Config { get; }
    public Embeddings Embeddings { get; }
    public IReadOnlyList<TransformerLayer> Layers { get; }

    /// <summary>
    /// Every layer's hidden states (B × t × H) for decoder input ids B × t. Without a cache the ids are
    /// the whole prefix, and position i attends to positions ≤ i only. With a cache they continue the
    /// cached positions (one new token per step in generation). No decoder padding mask is needed:
    /// targets are padded on the right, so a padded position only ever precedes other padded positions,
    /// whose outputs the loss ignores (Hugging Face's default, too).
    /// </summary>
    public EncoderOutput Forward(Tensor decoderInputIds, EncoderOutput memory, DecoderCache? cache = null)
    {
        if (cache is not null && cache.Layers.Count != layers.Count) throw new ArgumentException("the cache belongs to another decoder", nameof(cache));
        var words = Embeddings.LookUpWords(decoderInputIds);
        var past = cache?.Length ?? 0;
        var length = decoderInputIds.shape[1];
        var realTokens = ones_like(decoderInputIds);
        var hidden = Dropout(Embeddings.Complete(words, null, realTokens, past), Config.HiddenDropoutProb);
        var selfBias = CausalBias(length, past, words.dtype, words.device);
        var memoryStates = memory.Last;
        var memoryBias = Encoder.PaddingBiasOf(memory.AttentionMask, memoryStates.dtype);
        var states = new List<Tensor>(layers.Count + 1) { hidden };
        for (int i = 0; i < layers.Count; i++)
        {
            hidden = layers[i].Forward(hidden, selfBias, memoryStates, memoryBias, cache?.Layers[i]);
            states.Add(hidden);
        }
        return new EncoderOutput(states, realTokens);
    }

    /// <summary>1 × 1 × t × (past + t): new position i (absolute past + i) may attend to absolute positions ≤ past + i.</summary>
    public static Tensor CausalBias(long length, long past, ScalarType dtype, Device device)
    {
        var future = ones(length, past + length, dtype: ScalarType.Bool, device: device).triu((int)past + 1);
        return zeros(length, past + length, dtype: dtype, device: device).masked_fill_(future, Encoder.PaddingBias).unsqueeze(0).unsqueeze(0);
    }
}
