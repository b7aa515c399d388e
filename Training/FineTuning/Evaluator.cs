using Probing.Training.Data;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.FineTuning;

/// <summary>Scores a classifier on a split: logits without dropout or gradients, then the task's metrics.</summary>
public static class Evaluator
{
    /// <summary>Logits of every example (N × outputs, float32 on the CPU), in split order.</summary>
    public static Tensor Logits(SequenceClassifier model, EncodedExamples examples, int batchSize)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            var device = DeviceAudit.DeviceOf(model);
            var parts = new List<Tensor>();
            foreach (var indices in examples.InOrder(batchSize))
            {
                using var scope = NewDisposeScope();
                parts.Add(model.Logits(examples.Batch(indices, device)).to(float32).cpu().MoveToOuterDisposeScope());
            }
            var all = cat(parts, 0);
            foreach (var part in parts) part.Dispose();
            return all;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The task's metrics of logits: argmax for classification, the single output for regression.</summary>
    public static TaskScore Score(Tensor logits, TaskSpec spec, IReadOnlyList<Example> gold) => spec.IsRegression
        ? spec.Score(logits.squeeze(-1).to(float64).data<double>().ToArray(), gold)
        : spec.Score(logits.argmax(-1).to(int32).data<int>().ToArray(), gold);

    public static TaskScore Evaluate(SequenceClassifier model, EncodedExamples examples, TaskSpec spec, IReadOnlyList<Example> gold, int batchSize)
    {
        using var logits = Logits(model, examples, batchSize);
        return Score(logits, spec, gold);
    }
}
