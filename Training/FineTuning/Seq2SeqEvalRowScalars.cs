namespace Probing.Training.FineTuning;

public partial record Seq2SeqEvalRow
{
    /// <summary>TensorBoard's view of the row: the mean, e.g. ("dev/rouge1", 0.31) (the interval and count stay in <c>eval_log.csv</c>).</summary>
    IEnumerable<(string Tag, double Value)> IStepRow.Scalars() => [($"{Split}/{Metric}", Value)];
}
