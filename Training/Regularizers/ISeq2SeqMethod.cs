using Probing.Training.Model;

namespace Probing.Training.Regularizers;

/// <summary>
/// A fine-tuning method of a sequence-to-sequence model: turns a teacher-forced batch into parameter
/// gradients; the fine-tuning loop clips and steps. The methods that have a seq2seq form name it in
/// <see cref="MethodRegistry"/>.
/// </summary>
public interface ISeq2SeqMethod : ITrainingMethod
{
    StepLoss Backward(Seq2SeqBatch batch);
}

/// <summary>Plain seq2seq fine-tuning: the (label-smoothed) cross entropy of the targets.</summary>
public sealed class Seq2SeqStandard(StandardOptions options, Seq2SeqModel student) : ISeq2SeqMethod
{
    public IReadOnlyList<string> TermNames { get; } = ["task"];

    public StepLoss Backward(Seq2SeqBatch batch)
    {
        var loss = Seq2SeqLoss.LabelSmoothed(student.TargetLogits(batch), batch.TargetLabels(), options.LabelSmoothing);
        loss.backward();
        var value = loss.item<float>();
        return new StepLoss(value, [value]);
    }
}
