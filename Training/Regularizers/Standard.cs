using Probing.Training.Model;

namespace Probing.Training.Regularizers;

public sealed record StandardOptions : MethodOptions;

/// <summary>Plain fine-tuning: the task loss alone.</summary>
public sealed class Standard(StandardOptions options, RegularizerContext context) : IRegularizer
{
    public IReadOnlyList<string> TermNames { get; } = ["task"];
    public SequenceClassifier EvaluationModel => context.Student;

    public StepLoss Backward(ClassifierBatch batch)
    {
        var loss = TaskLoss.Compute(context.Student.Logits(batch), batch, options.LabelSmoothing);
        loss.backward();
        var value = loss.item<float>();
        return new StepLoss(value, [value]);
    }
}
