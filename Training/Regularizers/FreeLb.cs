using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>
/// FreeLB options. The reference's argparse defaults (adv_lr 0, K 1, init 0) reduce it to plain
/// training; these are values inside the paper's GLUE search ranges.
/// </summary>
public sealed record FreeLbOptions : MethodOptions
{
    public int AdvSteps { get; init; } = 3;
    public double AdvLr { get; init; } = 0.1;
    public double AdvInitMag { get; init; } = 0.1;
    public PerturbationNorm NormType { get; init; } = PerturbationNorm.L2;
    /// <summary>Bound on the perturbation's norm (0 = unbounded).</summary>
    public double AdvMaxNorm { get; init; }

    public override int TrainingPasses => AdvSteps;
}

/// <summary>
/// FreeLB (Zhu et al. 2020, <c>run_glue_freelb.py</c>): K passes on word embeddings + δ, each
/// back-propagating loss/K so that parameter gradients accumulate to their mean over the passes,
/// with δ ascending its own gradient between passes. All passes of a batch share one dropout draw
/// (the global generator is reseeded before each). No separate clean loss.
/// </summary>
public sealed class FreeLb : IRegularizer
{
    readonly FreeLbOptions options;
    readonly RegularizerContext context;
    readonly Action<Tensor>? observePerturbation;

    /// <param name="observePerturbation">Sees the δ of every pass (to check the gradient arithmetic).</param>
    public FreeLb(FreeLbOptions options, RegularizerContext context, Action<Tensor>? observePerturbation = null)
    {
        if (options.AdvSteps < 1) throw new Infrastructure.InputError($"method.adv_steps {options.AdvSteps}: expected at least 1");
        this.options = options;
        this.context = context;
        this.observePerturbation = observePerturbation;
    }

    public IReadOnlyList<string> TermNames { get; } = ["adversarial"];
    public SequenceClassifier EvaluationModel => context.Student;

    public StepLoss Backward(ClassifierBatch batch)
    {
        var student = context.Student;
        var passSeed = randint(0, int.MaxValue, [1], dtype: int64).item<long>();
        var mask = batch.AttentionMask.to(float32).unsqueeze(-1);
        // The word lookup runs once: every pass reads a leaf copy of it, whose gradient sums over
        // the passes and goes back through the lookup in one backward at the end.
        var words = student.WordEmbeddings(batch);
        var wordsLeaf = words.detach().requires_grad_(true);
        var delta = InitialDelta(wordsLeaf.detach(), mask);
        double total = 0;
        for (int k = 0; k < options.AdvSteps; k++)
        {
            manual_seed(passSeed);
            delta.requires_grad_(true);
            observePerturbation?.Invoke(delta.detach());
            var logits = student.LogitsFromWordEmbeddings(wordsLeaf + delta, batch);
            var loss = TaskLoss.Compute(logits, batch, options.LabelSmoothing) / options.AdvSteps;
            loss.backward();
            total += loss.item<float>();
            if (k == options.AdvSteps - 1) break;
            delta = Ascend(delta.detach(), delta.grad!.detach());
        }
        words.backward([wordsLeaf.grad!]);
        return new StepLoss(total, [total]);
    }

    Tensor InitialDelta(Tensor words, Tensor mask)
    {
        if (options.AdvInitMag <= 0) return zeros_like(words);
        if (options.NormType == PerturbationNorm.Inf)
            return rand_like(words).mul_(2 * options.AdvInitMag).sub_(options.AdvInitMag) * mask;
        var dimensions = mask.sum([1, 2]) * words.shape[2];
        var magnitude = (options.AdvInitMag / dimensions.sqrt()).view(-1, 1, 1);
        return (rand_like(words).mul_(2).sub_(1) * mask) * magnitude;
    }

    Tensor Ascend(Tensor delta, Tensor gradient)
    {
        var batch = delta.shape[0];
        if (options.NormType == PerturbationNorm.L2)
        {
            var norm = PerExampleL2(gradient).clamp_min(1e-8).view(-1, 1, 1);
            delta = delta + options.AdvLr * gradient / norm;
            if (options.AdvMaxNorm <= 0) return delta;
            var deltaNorm = PerExampleL2(delta);
            var exceeds = deltaNorm.gt(options.AdvMaxNorm).to(delta.dtype);
            var reweight = (options.AdvMaxNorm / deltaNorm * exceeds + (1 - exceeds)).view(-1, 1, 1);
            return delta * reweight;
        }
        var infNorm = gradient.view(batch, -1).abs().amax([1]).clamp_min(1e-8).view(-1, 1, 1);
        delta = delta + options.AdvLr * gradient / infNorm;
        return options.AdvMaxNorm > 0 ? delta.clamp(-options.AdvMaxNorm, options.AdvMaxNorm) : delta;
    }

    /// <summary>The L2 norm of each example's B × T × H slice.</summary>
    static Tensor PerExampleL2(Tensor x) => x.pow(2).sum([1, 2]).sqrt();
}
