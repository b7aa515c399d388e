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
    /// <param name="targetLogits">N × V: the logits at the batch's real target positions (<see cref="Seq2SeqModel.TargetLogits"/>).</param>
    /// <param name="targets">N: the gold labels there (<see cref="Seq2SeqBatch.TargetLabels"/>).</param>
    public static Tensor LabelSmoothed(Tensor targetLogits, Tensor targets, double epsilon) =>
        nn.functional.cross_entropy(AtLeastFloat32(targetLogits), targets, label_smoothing: epsilon);

    /// <summary><see cref="LabelSmoothed(Tensor, Tensor, double)"/> of logits at every target position (B × T × V); padded positions are skipped.</summary>
    public static Tensor LabelSmoothed(Tensor logits, Seq2SeqBatch batch, double epsilon) => LabelSmoothed(batch.AtTargets(logits), batch.TargetLabels(), epsilon);

    /// <summary>
    /// R3F's divergence for a generator: KL(p‖q) + KL(q‖p) between the token distributions
    /// p = softmax(a), q = softmax(b) of each target token, summed over the vocabulary and averaged
    /// over the tokens. Neither side is detached.
    /// </summary>
    /// <param name="a">N × V logits at real target positions.</param>
    /// <param name="b">N × V logits of the same targets.</param>
    /// <remarks>
    /// Computed as Σ_v (p_v − q_v)(a_v − b_v): log p − log q = (a − b) − (log Σe^a − log Σe^b), and the
    /// per-token constant drops out because Σ_v (p_v − q_v) = 0. The same value and gradient as the
    /// log-softmax form with two fewer passes over the N × V logits (and their backward).
    /// </remarks>
    public static Tensor SymmetricKl(Tensor a, Tensor b)
    {
        var (a32, b32) = (AtLeastFloat32(a), AtLeastFloat32(b));
        return ((a32.softmax(-1) - b32.softmax(-1)) * (a32 - b32)).sum() / a.shape[0];
    }

    /// <summary><see cref="SymmetricKl(Tensor, Tensor)"/> of logits at every target position (B × T × V), averaged over the real ones (<paramref name="labelMask"/> 1).</summary>
    public static Tensor SymmetricKl(Tensor a, Tensor b, Tensor labelMask) =>
        SymmetricKl(Seq2SeqBatch.AtPositions(a, labelMask), Seq2SeqBatch.AtPositions(b, labelMask));

    /// <summary>Half-precision logits are promoted (as fairseq's softmax with dtype=float32); float64 stays float64 (the gradient tests run in it).</summary>
    static Tensor AtLeastFloat32(Tensor logits) => logits.dtype == float64 ? logits : logits.to(float32);
}
