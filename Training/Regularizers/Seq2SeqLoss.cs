using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>The losses of sequence-to-sequence fine-tuning, each a mean over the batch's real (non-pad) target tokens.</summary>
public static class Seq2SeqLoss
{
    /// <summary>
    /// fairseq's <c>label_smoothed_cross_entropy</c> as the R3F paper's fairseq computed it (ε/V to every
    /// class, the gold one included): per token (1 − ε)·(−log p_gold) + (ε/V)·Σ_v (−log p_v), padding
    /// ignored, averaged over the target tokens (fairseq sums and its trainer divides by the token count).
    /// ε = 0 is plain cross entropy. (fairseq ≥ 0.12 spreads ε over the V − 1 other classes instead:
    /// weights differ by ε/V(V−1) per class, negligible at a vocabulary of thousands.)
    /// </summary>
    /// <param name="logits">B × T × V.</param>
    public static Tensor LabelSmoothed(Tensor logits, Seq2SeqBatch batch, double epsilon)
    {
        var targets = batch.Labels.masked_fill(batch.LabelMask.eq(0), IgnoreIndex);
        return nn.functional.cross_entropy(AtLeastFloat32(logits).flatten(0, 1), targets.flatten(), ignore_index: IgnoreIndex, label_smoothing: epsilon);
    }

    /// <summary>
    /// R3F's divergence for a generator: KL(p‖q) + KL(q‖p) between the token distributions
    /// p = softmax(a), q = softmax(b) at every real target position, summed over the vocabulary and
    /// averaged over those positions. Neither side is detached.
    /// </summary>
    /// <param name="a">B × T × V logits.</param>
    /// <param name="b">B × T × V logits of the same targets.</param>
    /// <param name="labelMask">B × T: 1 on real target tokens.</param>
    public static Tensor SymmetricKl(Tensor a, Tensor b, Tensor labelMask)
    {
        var logP = AtLeastFloat32(a).log_softmax(-1);
        var logQ = AtLeastFloat32(b).log_softmax(-1);
        var perToken = ((logP.exp() - logQ.exp()) * (logP - logQ)).sum(-1);
        var mask = labelMask.to(perToken.dtype);
        return (perToken * mask).sum() / mask.sum();
    }

    const long IgnoreIndex = -100;

    /// <summary>Half-precision logits are promoted (as fairseq's softmax with dtype=float32); float64 stays float64 (the gradient tests run in it).</summary>
    static Tensor AtLeastFloat32(Tensor logits) => logits.dtype == float64 ? logits : logits.to(float32);
}
