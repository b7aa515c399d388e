using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// Hidden states of every layer: index 0 is the embedding output, index L the last layer (B × T × H),
/// plus the attention mask (B × T, 1 = real token) that pooling needs.
/// </summary>
public sealed record EncoderOutput(IReadOnlyList<Tensor> HiddenStates, Tensor AttentionMask)
{
    public Tensor Last => HiddenStates[^1];
}

/// <summary>How a sequence of hidden states becomes one vector.</summary>
public enum Pooling { Cls, Mean }

public static class PoolingExtensions
{
    public static Tensor Pool(this Pooling pooling, Tensor hidden, Tensor attentionMask) => pooling switch
    {
        Pooling.Cls => hidden.select(1, 0),
        Pooling.Mean => MeanOverRealTokens(hidden, attentionMask),
        _ => throw new ArgumentOutOfRangeException(nameof(pooling)),
    };

    static Tensor MeanOverRealTokens(Tensor hidden, Tensor attentionMask)
    {
        var mask = attentionMask.to(hidden.dtype).unsqueeze(-1);
        return (hidden * mask).sum(1) / mask.sum(1).clamp_min(1);
    }
}
