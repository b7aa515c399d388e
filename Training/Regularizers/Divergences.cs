using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>The divergences of the reference implementations, computed in float32 exactly as they do.</summary>
public static class Divergences
{
    /// <summary>
    /// fairseq R3F: KL(p‖q) + KL(q‖p) with p = softmax(a), q = softmax(b), summed over batch and
    /// classes and divided by the batch size. Neither side is detached: gradients reach both.
    /// </summary>
    public static Tensor SymmetricKl(Tensor a, Tensor b)
    {
        var logP = a.to(float32).log_softmax(-1);
        var logQ = b.to(float32).log_softmax(-1);
        var kl = (logP.exp() * (logP - logQ)).sum() + (logQ.exp() * (logQ - logP)).sum();
        return kl / a.shape[0];
    }

    /// <summary>
    /// mt-dnn's <c>SymKlCriterion</c>: KL(softmax(b)ᵈ‖softmax(a)) + KL(softmax(a)ᵈ‖softmax(b)) with
    /// batch-mean reduction, each direction against a detached target (ᵈ).
    /// </summary>
    public static Tensor SymmetricKlDetachedTargets(Tensor a, Tensor b)
    {
        var logP = a.to(float32).log_softmax(-1);
        var logQ = b.to(float32).log_softmax(-1);
        var p = logP.exp().detach();
        var q = logQ.exp().detach();
        var kl = (q * (q.log() - logP)).sum() + (p * (p.log() - logQ)).sum();
        return kl / a.shape[0];
    }

    /// <summary>
    /// mt-dnn's "stable" KL: with p = softmax(logits), y = softmax(target) and the detached
    /// log-odds r = −log(1/(x+ε) − 1 + ε), Σ p·(r_p − r_y)·2 / batch (ε = 1e-6).
    /// </summary>
    public static Tensor StableKl(Tensor logits, Tensor target, double epsilon = 1e-6)
    {
        var p = logits.to(float32).softmax(-1);
        var y = target.to(float32).softmax(-1);
        var rp = LogOdds(p.detach(), epsilon);
        var ry = LogOdds(y.detach(), epsilon);
        return (p * (rp - ry) * 2).sum() / logits.shape[0];
    }

    static Tensor LogOdds(Tensor x, double epsilon) => -((1.0 / (x + epsilon)) - 1 + epsilon).log();
}
