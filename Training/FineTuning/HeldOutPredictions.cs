using System.Globalization;
using System.Text;
using Probing.Training.Data;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;
using static TorchSharp.torch;

namespace Probing.Training.FineTuning;

/// <summary>
/// What a fine-tuned model says beyond its dev split: its scores on the task's other labelled dev
/// splits (MNLI's mismatched, from the same run) and its predictions for the unlabelled test sets in the
/// benchmark's submission format (GLUE: one <c>&lt;TASK&gt;.tsv</c> per set, <c>index&lt;TAB&gt;prediction</c>
/// with label names, or the score with three decimals for regression).
/// </summary>
public static class HeldOutPredictions
{
    public const string SubmissionFolder = "submission";

    /// <summary>The model's scores on every labelled dev split beside "dev".</summary>
    public static Dictionary<string, TaskScore> ExtraDevScores(SequenceClassifier model, ITextTokenizer tokenizer, TaskData task, int maxLength, int batchSize) =>
        task.ExtraDevSplits.ToDictionary(split => split, split =>
            Evaluator.Evaluate(model, new EncodedExamples(task.Split(split), task.Spec, tokenizer, maxLength), task.Spec, task.Split(split), batchSize));

    /// <summary>
    /// Writes one submission file per unlabelled set of the task into <paramref name="directory"/>, each
    /// through a temporary file and a rename; returns their paths (none when the task has no such set).
    /// </summary>
    /// <param name="logits">The logits (N × outputs, CPU) of a set's examples, in order: one model's, or an ensemble's.</param>
    public static IReadOnlyList<string> WriteSubmission(TaskData task, ITextTokenizer tokenizer, int maxLength, string directory, Func<EncodedExamples, Tensor> logits)
    {
        var written = new List<string>();
        foreach (var set in task.Unlabeled)
        {
            // The examples carry a placeholder target: only their texts are read.
            var examples = new EncodedExamples(
                [.. set.Texts.Select(t => task.Spec.IsRegression ? Example.Scored(t.Text1, t.Text2, 0) : Example.Classified(t.Text1, t.Text2, 0))],
                task.Spec, tokenizer, maxLength);
            using var scores = logits(examples);
            var text = new StringBuilder("index\tprediction\n");
            var predictions = Predictions(scores, task.Spec);
            for (var i = 0; i < set.Indices.Count; i++) text.Append(set.Indices[i]).Append('\t').Append(predictions[i]).Append('\n');
            var path = Path.Combine(directory, set.Submission);
            AtomicFile.WriteAllText(path, text.ToString());
            written.Add(path);
        }
        return written;
    }

    static string[] Predictions(Tensor logits, TaskSpec spec) => spec.IsRegression
        ? [.. logits.squeeze(-1).to(float64).data<double>().ToArray().Select(v => v.ToString("0.000", CultureInfo.InvariantCulture))]
        : [.. logits.argmax(-1).to(int32).data<int>().ToArray().Select(i => spec.Labels[i])];
}
