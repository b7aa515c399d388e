using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>Self-distillation with the averaged-parameter teacher (SDA).</summary>
public sealed record SdaOptions : MethodOptions
{
    public int TeacherSize { get; init; } = 5;
    /// <summary>λ of the MSE to the teacher's logits (1 was best in the paper).</summary>
    public double Lambda { get; init; } = 1.0;

    public override int TeacherForwards => 1;
}

/// <summary>Self-distillation with the voted teacher: mean logits of the last K snapshots (SDV).</summary>
public sealed record SdvOptions : MethodOptions
{
    public int TeacherSize { get; init; } = 5;
    public double Lambda { get; init; } = 1.0;

    public override int TeacherForwards => TeacherSize;
}

/// <summary>
/// Self-distillation (Xu et al. 2020): CE(student, label) + λ · MSE(student logits, teacher logits),
/// the teacher built from the student's last K snapshots — averaged parameters (SDA) or averaged
/// predictions (SDV). The student is evaluated and saved.
/// </summary>
public sealed class SelfDistillation : IRegularizer
{
    readonly RegularizerContext context;
    readonly SnapshotTeacher teacher;
    readonly double lambda, labelSmoothing;
    readonly bool voted;

    public SelfDistillation(SdaOptions options, RegularizerContext context) : this(context, options.TeacherSize, options.Lambda, options.LabelSmoothing, voted: false) { }

    public SelfDistillation(SdvOptions options, RegularizerContext context) : this(context, options.TeacherSize, options.Lambda, options.LabelSmoothing, voted: true) { }

    SelfDistillation(RegularizerContext context, int teacherSize, double lambda, double labelSmoothing, bool voted)
    {
        this.context = context;
        this.lambda = lambda;
        this.labelSmoothing = labelSmoothing;
        this.voted = voted;
        teacher = new SnapshotTeacher(context, teacherSize);
    }

    public IReadOnlyList<string> TermNames { get; } = ["task", "distillation"];
    public SequenceClassifier EvaluationModel => context.Student;

    public StepLoss Backward(ClassifierBatch batch)
    {
        var teacherLogits = voted ? teacher.VotedLogits(batch) : teacher.AveragedLogits(batch);
        var logits = context.Student.Logits(batch);
        var task = TaskLoss.Compute(logits, batch, labelSmoothing);
        var distillation = nn.functional.mse_loss(logits, teacherLogits);
        var total = task + lambda * distillation;
        total.backward();
        return new StepLoss(total.item<float>(), [task.item<float>(), distillation.item<float>()]);
    }

    public void AfterOptimizerStep() => teacher.Push();

    public Dictionary<string, Tensor> StateDict() => teacher.StateDict();

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string source) => teacher.LoadStateDict(state, source);

    public void Dispose() => teacher.Dispose();
}
