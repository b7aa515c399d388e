using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// Multi-head scaled dot-product attention with its output projection: self-attention (keys and values
/// from the attending sequence) or cross-attention (from the encoder's output). Scores are
/// q·kᵀ/√d + bias, as BERT computes them (BART scales q before the product: the same up to rounding).
/// </summary>
public sealed class MultiHeadAttention : ExplicitModule
{
    readonly Linear query, key, value, output;
    readonly int heads, headSize;
    readonly double dropout;

    public MultiHeadAttention(EncoderConfig config, AttentionNames names) : base("attention")
    {
        heads = config.NumAttentionHeads;
        headSize = config.HeadSize;
        dropout = config.AttentionProbsDropoutProb;
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        output = nn.Linear(config.HiddenSize, config.HiddenSize);
        RegisterAt(names.Query, query);
        RegisterAt(names.Key, key);
        RegisterAt(names.Value, value);
        RegisterAt(names.Output, output);
    }

    /// <summary>
    /// <paramref name="hidden"/> (B × T × H) attends over <paramref name="source"/> (B × S × H; the same
    /// tensor for self-attention). <paramref name="bias"/> broadcasts to B × heads × T × S: 0 where
    /// attending is allowed, a large negative number where not (padding, future positions).
    /// </summary>
    public Tensor Forward(Tensor hidden, Tensor source, Tensor bias)
    {
        // Query, key, value in this order: autograd sums the gradients reaching `hidden` in the order
        // of these uses, and a different order changes results in the last bit.
        var queries = SplitHeads(query.forward(hidden));
        var probabilities = Probabilities(queries, SplitHeads(key.forward(source)), bias);
        return Combine(probabilities.matmul(SplitHeads(value.forward(source))));
    }

    /// <summary>The keys and values of <paramref name="source"/>, split into heads (B × heads × S × d): what a decoding cache keeps.</summary>
    public (Tensor Keys, Tensor Values) KeysAndValues(Tensor source) => (SplitHeads(key.forward(source)), SplitHeads(value.forward(source)));

    /// <summary>Attention of <paramref name="hidden"/> over given keys and values (see <see cref="KeysAndValues"/>).</summary>
    public Tensor Attend(Tensor hidden, Tensor keys, Tensor values, Tensor bias) =>
        Combine(Probabilities(SplitHeads(query.forward(hidden)), keys, bias).matmul(values));

    Tensor Probabilities(Tensor queries, Tensor keys, Tensor bias) =>
        Dropout((queries.matmul(keys.transpose(-1, -2)) / Math.Sqrt(headSize) + bias).softmax(-1), dropout);

    /// <summary>B × heads × T × d → B × T × H, then the output projection.</summary>
    Tensor Combine(Tensor context) =>
        output.forward(context.transpose(1, 2).reshape(context.shape[0], context.shape[2], heads * headSize));

    Tensor SplitHeads(Tensor projected) => projected.view(projected.shape[0], projected.shape[1], heads, headSize).transpose(1, 2);
}
