using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>mt-dnn's SMART defaults, plus the paper's Bregman proximal term (μ, EMA momentum β).</summary>
public sealed record SmartOptions : MethodOptions
{
    public double AdvStepSize { get; init; } = 1e-5;
    /// <summary>Standard deviation of the initial noise.</summary>
    public double AdvNoiseVar { get; init; } = 1e-5;
    public double AdvEpsilon { get; init; } = 1e-6;
    public int AdvK { get; init; } = 1;
    public PerturbationNorm AdvPNorm { get; init; } = PerturbationNorm.Inf;
    public double AdvAlpha { get; init; } = 1.0;
    /// <summary>Weight μ of the proximal term (0 switches it and its teacher off, as in the public code).</summary>
    public double ProximalMu { get; init; } = 1.0;
    public double ProximalMomentum { get; init; } = 0.99;

    /// <summary>Clean, K ascent (their backward reaches only the noise) and adversarial passes.</summary>
    public override int TrainingPasses => 2 + AdvK;
    public override int TeacherForwards => ProximalMu > 0 ? 1 : 0;
}

/// <summary>
/// SMART (Jiang et al. 2020): task loss + α · adversarial symmetric KL (mt-dnn's code, with the
/// perturbation on the raw word embeddings rather than re-embedding the full embedding output as
/// the reference's bug does) + μ · symmetric KL to an EMA teacher (the paper's Bregman proximal
/// point step, absent from the public code). The teacher runs without dropout.
/// </summary>
public sealed class Smart : IRegularizer
{
    readonly SmartOptions options;
    readonly RegularizerContext context;
    readonly SmartPerturbation perturbation;
    readonly ExponentialAverage? teacher;

    public Smart(SmartOptions options, RegularizerContext context)
    {
        if (options.AdvK < 1) throw new Infrastructure.InputError($"method.adv_k {options.AdvK}: expected at least 1 ascent step");
        this.options = options;
        this.context = context;
        perturbation = new SmartPerturbation(options, context.IsRegression);
        if (options.ProximalMu > 0) teacher = new ExponentialAverage(context, options.ProximalMomentum);
    }

    public IReadOnlyList<string> TermNames { get; } = ["task", "adversarial", "proximal"];
    public SequenceClassifier EvaluationModel => context.Student;

    public StepLoss Backward(ClassifierBatch batch)
    {
        var student = context.Student;
        var words = student.WordEmbeddings(batch);
        var logits = student.LogitsFromWordEmbeddings(words, batch);
        var task = TaskLoss.Compute(logits, batch, options.LabelSmoothing);
        var total = task;

        var noise = perturbation.Ascend(student, words, logits, batch, perturbation.InitialNoise(words));
        var adversarial = noise is null ? zeros(1) : Agreement(logits, student.LogitsFromWordEmbeddings(words + noise, batch));
        total = total + options.AdvAlpha * adversarial;

        Tensor proximal = zeros(1);
        if (teacher is not null)
        {
            proximal = Agreement(logits, teacher.Logits(batch));
            total = total + options.ProximalMu * proximal;
        }
        total.backward();
        return new StepLoss(total.item<float>(), [task.item<float>(), adversarial.item<float>(), proximal.item<float>()]);
    }

    public void AfterOptimizerStep() => teacher?.Update();

    public Dictionary<string, Tensor> StateDict() => teacher?.StateDict() ?? [];

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string source) => teacher?.LoadStateDict(state, source);

    public void Dispose() => teacher?.Dispose();

    /// <summary>Symmetric KL with detached targets (MSE for regression), batch-mean.</summary>
    Tensor Agreement(Tensor logits, Tensor other) => context.IsRegression
        ? nn.functional.mse_loss(logits, other.detach())
        : Divergences.SymmetricKlDetachedTargets(logits, other);
}
