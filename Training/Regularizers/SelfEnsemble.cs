using Probing.Training.Model;

namespace Probing.Training.Regularizers;

public sealed record SelfEnsembleOptions : MethodOptions
{
    /// <summary>K: how many recent snapshots the teacher averages (tuned per dataset in the paper).</summary>
    public int TeacherSize { get; init; } = 5;
}

/// <summary>
/// Self-ensemble (Xu et al. 2020): trains with the task loss alone; the model evaluated and saved
/// is the parameter average of the student's snapshots from the last K steps.
/// </summary>
public sealed class SelfEnsemble(SelfEnsembleOptions options, RegularizerContext context) : IRegularizer
{
    readonly SnapshotTeacher teacher = new(context, options.TeacherSize);

    public IReadOnlyList<string> TermNames { get; } = ["task"];
    public SequenceClassifier EvaluationModel => teacher.Averaged();

    /// <summary>The averaged teacher (same as <see cref="EvaluationModel"/>).</summary>
    public SequenceClassifier Teacher => teacher.Averaged();

    public StepLoss Backward(ClassifierBatch batch)
    {
        var loss = TaskLoss.Compute(context.Student.Logits(batch), batch, options.LabelSmoothing);
        loss.backward();
        var value = loss.item<float>();
        return new StepLoss(value, [value]);
    }

    public void AfterOptimizerStep() => teacher.Push();

    public Dictionary<string, TorchSharp.torch.Tensor> StateDict() => teacher.StateDict();

    public void LoadStateDict(IReadOnlyDictionary<string, TorchSharp.torch.Tensor> state, string source) => teacher.LoadStateDict(state, source);

    public void Dispose() => teacher.Dispose();
}
