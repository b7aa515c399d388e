using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

public enum NoiseType { Uniform, Normal }

/// <summary>fairseq <c>sentence_prediction_r3f</c> defaults (its RTE recipe uses λ = 0.7).</summary>
public record R3fOptions : MethodOptions
{
    /// <summary>Noise scale: the half-width of U(−eps, eps), or the standard deviation of N(0, eps²).</summary>
    public double Eps { get; init; } = 1e-5;
    public double Lambda { get; init; } = 1.0;
    public NoiseType NoiseType { get; init; } = NoiseType.Uniform;

    public override int TrainingPasses => 2;
}

/// <summary>R4F: R3F with a spectrally normalised output projection in the head.</summary>
public sealed record R4fOptions : R3fOptions
{
    public override bool SpectralNormHead => true;
}

/// <summary>
/// R3F (Aghajanyan et al. 2020), as fairseq computes it: a second forward pass on a detached copy
/// of the raw word embeddings plus noise, and mean CE + λ · symmetric KL between the clean and noisy
/// predictions, neither side detached. The clean and noisy inputs run as one batch of 2B: the same
/// loss as two passes (each half has its own dropout draw, as a second pass would), in one pass
/// through the encoder. Regression tasks get no R3F term. R4F is the same loss on a model built with
/// a spectrally normalised head (two power iterations per step, as fairseq's two forward calls run).
/// </summary>
public sealed class R3f : IRegularizer
{
    readonly R3fOptions options;
    readonly RegularizerContext context;

    public R3f(R3fOptions options, RegularizerContext context)
    {
        this.options = options;
        this.context = context;
        // fairseq's two forward calls per step ran two power iterations of the spectral norm; the one doubled pass runs both.
        if (context.Student.Head.SpectralOutput is { } spectral && !context.IsRegression) spectral.IterationsPerForward = 2;
    }

    public IReadOnlyList<string> TermNames { get; } = ["task", "symmetric_kl"];
    public SequenceClassifier EvaluationModel => context.Student;

    public StepLoss Backward(ClassifierBatch batch)
    {
        var student = context.Student;
        var words = student.WordEmbeddings(batch);
        if (context.IsRegression)
        {
            var loss = TaskLoss.Compute(student.LogitsFromWordEmbeddings(words, batch), batch, options.LabelSmoothing);
            loss.backward();
            var value = loss.item<float>();
            return new StepLoss(value, [value, 0]);
        }
        var noisy = words.detach() + Noise(words);
        var both = student.LogitsFromWordEmbeddings(cat([words, noisy]), batch.Twice());
        var logits = both[..(int)batch.Size];
        var task = TaskLoss.Compute(logits, batch, options.LabelSmoothing);
        var symmetricKl = Divergences.SymmetricKl(logits, both[(int)batch.Size..]);
        var total = task + options.Lambda * symmetricKl;
        total.backward();
        return new StepLoss(total.item<float>(), [task.item<float>(), symmetricKl.item<float>()]);
    }

    /// <summary>U(−eps, eps) or N(0, eps²) noise shaped like <paramref name="like"/>, from the global generator.</summary>
    public Tensor Noise(Tensor like) => Noise(options, like);

    /// <inheritdoc cref="Noise(Tensor)"/>
    public static Tensor Noise(R3fOptions options, Tensor like) => options.NoiseType switch
    {
        NoiseType.Normal => randn_like(like).mul_(options.Eps),
        NoiseType.Uniform => rand_like(like).mul_(2 * options.Eps).sub_(options.Eps),
        _ => throw new ArgumentOutOfRangeException(nameof(options)),
    };
}
