using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>
/// SMART's adversarial perturbation of the word embeddings (mt-dnn <c>perturbation.py</c>): from
/// the initial noise, K ascent steps on the stable KL to the detached clean logits, each followed
/// by a per-token normalisation (∞-norm or L2 over the hidden dimension, + epsilon).
/// </summary>
public sealed class SmartPerturbation(SmartOptions options, bool regression)
{
    /// <summary>The initial noise: N(0, 1) · adv_noise_var, drawn from the global generator.</summary>
    public Tensor InitialNoise(Tensor words) => randn_like(words).mul_(options.AdvNoiseVar);

    /// <summary>The perturbation after the ascent steps, or null when a gradient was NaN/Inf (the reference then skips the term).</summary>
    public Tensor? Ascend(SequenceClassifier model, Tensor words, Tensor cleanLogits, ClassifierBatch batch, Tensor initialNoise)
    {
        var noise = initialNoise.detach().requires_grad_(true);
        var target = cleanLogits.detach();
        for (int k = 0; k < options.AdvK; k++)
        {
            var logits = model.LogitsFromWordEmbeddings(words + noise, batch);
            var loss = regression
                ? nn.functional.mse_loss(logits, target, reduction: nn.Reduction.Sum)
                : Divergences.StableKl(logits, target) * logits.shape[0];
            var gradient = TorchSharp.torch.autograd.grad([loss], [noise], retain_graph: false)[0];
            if (!double.IsFinite(gradient.norm().item<float>())) return null;
            noise = Normalize(noise.detach() + gradient * options.AdvStepSize, options.AdvPNorm, options.AdvEpsilon).requires_grad_(true);
        }
        return noise.detach();
    }

    /// <summary>Divides every token's vector (last dimension) by its ∞-norm or L2 norm plus epsilon.</summary>
    public static Tensor Normalize(Tensor x, PerturbationNorm norm, double epsilon)
    {
        var size = norm == PerturbationNorm.Inf
            ? x.abs().amax([-1], keepdim: true)
            : x.norm(-1, keepdim: true);
        return x / (size + epsilon);
    }
}
