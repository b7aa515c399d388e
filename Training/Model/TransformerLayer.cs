using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// One post-LayerNorm transformer layer, BERT's and BART's alike: self-attention, add &amp; norm,
/// (in a decoder: cross-attention over the encoder's output, add &amp; norm,) feed-forward, add &amp; norm.
/// Each sub-layer is <c>LayerNorm(x + dropout(f(x)))</c>. Names come from <see cref="LayerNames"/>.
/// </summary>
public sealed class TransformerLayer : ExplicitModule
{
    readonly MultiHeadAttention selfAttention;
    readonly LayerNorm selfAttentionNorm;
    readonly MultiHeadAttention? crossAttention;
    readonly LayerNorm? crossAttentionNorm;
    readonly Linear intermediate, output;
    readonly LayerNorm outputNorm;
    readonly Func<Tensor, Tensor> activation;
    readonly double dropout, activationDropout;

    public TransformerLayer(EncoderConfig config) : this(config, StackNames.For(config.ModelType).Layer, withCrossAttention: false) { }

    public TransformerLayer(EncoderConfig config, LayerNames names, bool withCrossAttention) : base("layer")
    {
        dropout = config.HiddenDropoutProb;
        activationDropout = config.ActivationDropout;
        activation = Activations.Get(config.HiddenAct);
        // Registration order is initialisation order (Initialization draws module by module): keep it.
        selfAttention = new MultiHeadAttention(config, names.Attention);
        RegisterAt(names.SelfAttention, selfAttention);
        selfAttentionNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        RegisterAt(names.SelfAttentionNorm, selfAttentionNorm);
        if (withCrossAttention)
        {
            crossAttention = new MultiHeadAttention(config, names.Attention);
            RegisterAt(names.CrossAttention, crossAttention);
            crossAttentionNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
            RegisterAt(names.CrossAttentionNorm, crossAttentionNorm);
        }
        intermediate = nn.Linear(config.HiddenSize, config.IntermediateSize);
        RegisterAt(names.Intermediate, intermediate);
        output = nn.Linear(config.IntermediateSize, config.HiddenSize);
        RegisterAt(names.Output, output);
        outputNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        RegisterAt(names.OutputNorm, outputNorm);
    }

    /// <summary>An encoder layer.</summary>
    /// <param name="hidden">B × T × H, the previous layer's states.</param>
    /// <param name="maskBias">B × 1 × 1 × T: 0 on real tokens, a large negative number on padding.</param>
    /// <param name="queries">The states (B × Q × H) whose outputs are wanted, attending over all of
    /// <paramref name="hidden"/>; null for every position. Each position's output depends on the others only
    /// through keys and values, so computing fewer positions gives exactly those positions' outputs.</param>
    public Tensor Forward(Tensor hidden, Tensor maskBias, Tensor? queries = null)
    {
        var attending = queries ?? hidden;
        var attended = AddAndNorm(selfAttentionNorm, attending, selfAttention.Forward(attending, hidden, maskBias));
        return FeedForward(attended);
    }

    /// <summary>
    /// A decoder layer: <paramref name="hidden"/> (B × t × H) holds the newest t positions; with a
    /// <paramref name="cache"/>, earlier positions' keys and values come from it (and the new ones are
    /// appended), and the encoder's keys and values are projected once and kept.
    /// </summary>
    /// <param name="selfBias">B or 1 × 1 × t × (past + t): causal (and padding) bias of the self-attention.</param>
    /// <param name="memory">The encoder's last hidden states, B × S × H.</param>
    /// <param name="memoryBias">B × 1 × 1 × S: the encoder's padding.</param>
    public Tensor Forward(Tensor hidden, Tensor selfBias, Tensor memory, Tensor memoryBias, LayerCache? cache)
    {
        if (crossAttention is null || crossAttentionNorm is null) throw new InvalidOperationException("an encoder layer has no cross-attention");
        if (cache is null)
        {
            var attended = AddAndNorm(selfAttentionNorm, hidden, selfAttention.Forward(hidden, hidden, selfBias));
            return FeedForward(AddAndNorm(crossAttentionNorm, attended, crossAttention.Forward(attended, memory, memoryBias)));
        }
        var (keys, values) = cache.Append(selfAttention.KeysAndValues(hidden));
        var attendedSoFar = AddAndNorm(selfAttentionNorm, hidden, selfAttention.Attend(hidden, keys, values, selfBias));
        var (memoryKeys, memoryValues) = cache.Memory ??= crossAttention.KeysAndValues(memory);
        return FeedForward(AddAndNorm(crossAttentionNorm, attendedSoFar, crossAttention.Attend(attendedSoFar, memoryKeys, memoryValues, memoryBias)));
    }

    /// <summary>
    /// Copies another layer's self-attention, feed-forward and LayerNorms (names may differ: a BERT
    /// layer into a BART one); cross-attention is left as it is. Used to warm-start a seq2seq model.
    /// </summary>
    public void CopyFrom(TransformerLayer source)
    {
        using var _ = no_grad();
        Copy(source.selfAttention, selfAttention);
        Copy(source.selfAttentionNorm, selfAttentionNorm);
        Copy(source.intermediate, intermediate);
        Copy(source.output, output);
        Copy(source.outputNorm, outputNorm);
    }

    /// <summary>Parameters in registration order, which is the same for two modules of one class.</summary>
    static void Copy(nn.Module source, nn.Module target)
    {
        foreach (var (from, to) in source.parameters().Zip(target.parameters(), (a, b) => (a, b)))
        {
            if (!from.shape.SequenceEqual(to.shape))
                throw new ArgumentException($"cannot copy a [{string.Join(", ", from.shape)}] parameter into a [{string.Join(", ", to.shape)}] one");
            to.copy_(from);
        }
    }

    Tensor FeedForward(Tensor hidden) =>
        AddAndNorm(outputNorm, hidden, output.forward(Dropout(activation(intermediate.forward(hidden)), activationDropout)));

    Tensor AddAndNorm(LayerNorm norm, Tensor residual, Tensor update) => norm.forward(Dropout(update, dropout) + residual);
}
