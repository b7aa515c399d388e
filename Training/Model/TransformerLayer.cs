using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>One post-LayerNorm BERT layer: self-attention, add &amp; norm, feed-forward, add &amp; norm.</summary>
public sealed class TransformerLayer : ExplicitModule
{
    readonly AttentionBlock attention;
    readonly Linear intermediate;
    readonly ResidualProjection output;
    readonly Func<Tensor, Tensor> activation;

    public TransformerLayer(EncoderConfig config) : base("layer")
    {
        attention = new AttentionBlock(config);
        intermediate = nn.Linear(config.HiddenSize, config.IntermediateSize);
        output = new ResidualProjection(config.IntermediateSize, config);
        activation = Activations.Get(config.HiddenAct);
        register_module("attention", attention);
        register_module("intermediate", new Named("dense", intermediate));
        register_module("output", output);
    }

    /// <param name="hidden">B × T × H, the previous layer's states.</param>
    /// <param name="maskBias">B × 1 × 1 × T: 0 on real tokens, a large negative number on padding.</param>
    /// <param name="queries">The states (B × Q × H) whose outputs are wanted, attending over all of
    /// <paramref name="hidden"/>; null for every position. Each position's output depends on the others only
    /// through keys and values, so computing fewer positions gives exactly those positions' outputs.</param>
    public Tensor Forward(Tensor hidden, Tensor maskBias, Tensor? queries = null)
    {
        var attended = attention.Forward(hidden, maskBias, queries ?? hidden);
        return output.Forward(activation(intermediate.forward(attended)), attended);
    }
}

/// <summary>Multi-head self-attention followed by its output projection (HF: <c>attention.self</c>, <c>attention.output</c>).</summary>
sealed class AttentionBlock : ExplicitModule
{
    readonly Linear query, key, value;
    readonly FastDropout attentionDropout;
    readonly ResidualProjection output;
    readonly int heads, headSize;

    public AttentionBlock(EncoderConfig config) : base("attention")
    {
        heads = config.NumAttentionHeads;
        headSize = config.HeadSize;
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        attentionDropout = new FastDropout(config.AttentionProbsDropoutProb);
        output = new ResidualProjection(config.HiddenSize, config);
        var self = new Named("query", query);
        self.register_module("key", key);
        self.register_module("value", value);
        self.register_module("dropout", attentionDropout);
        register_module("self", self);
        register_module("output", output);
    }

    /// <param name="queries">The rows whose outputs are wanted (<paramref name="hidden"/> itself for all of them).</param>
    public Tensor Forward(Tensor hidden, Tensor maskBias, Tensor queries)
    {
        long batch = hidden.shape[0];
        Tensor Split(Linear projection, Tensor x) => projection.forward(x).view(batch, x.shape[1], heads, headSize).transpose(1, 2);
        var scores = Split(query, queries).matmul(Split(key, hidden).transpose(-1, -2)) / Math.Sqrt(headSize) + maskBias;
        var probabilities = attentionDropout.forward(scores.softmax(-1));
        var context = probabilities.matmul(Split(value, hidden)).transpose(1, 2).reshape(batch, queries.shape[1], heads * headSize);
        return output.Forward(context, queries);
    }
}

/// <summary>dense → dropout → LayerNorm(x + residual): BERT's <c>*.output</c> block.</summary>
sealed class ResidualProjection : ExplicitModule
{
    readonly Linear dense;
    readonly FastDropout dropout;
    readonly LayerNorm norm;

    public ResidualProjection(int inputSize, EncoderConfig config) : base("output")
    {
        dense = nn.Linear(inputSize, config.HiddenSize);
        dropout = new FastDropout(config.HiddenDropoutProb);
        norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        register_module("dense", dense);
        register_module("dropout", dropout);
        register_module("LayerNorm", norm);
    }

    public Tensor Forward(Tensor input, Tensor residual) => norm.forward(dropout.forward(dense.forward(input)) + residual);
}

/// <summary>A container that only exists to reproduce a Hugging Face parameter path (e.g. <c>cls.predictions</c>).</summary>
sealed class Named : ExplicitModule
{
    public Named(string childName, nn.Module child) : base(childName) => register_module(childName, child);
}
