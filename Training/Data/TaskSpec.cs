using Probing.Training.Evaluation;

namespace Probing.Training.Data;

public enum MetricKind { Accuracy, F1, Matthews, Pearson, Spearman }

/// <summary>Named metric values of one evaluation; <see cref="Primary"/> is the one a study optimises and reports first.</summary>
public sealed record TaskScore(MetricKind PrimaryMetric, IReadOnlyDictionary<MetricKind, double> Values)
{
    public double Primary => Values[PrimaryMetric];

    public override string ToString() =>
        string.Join(" ", Values.Select(v => FormattableString.Invariant($"{Name(v.Key)}={v.Value:F4}")));

    public static string Name(MetricKind metric) => metric switch
    {
        MetricKind.Accuracy => "accuracy",
        MetricKind.F1 => "f1",
        MetricKind.Matthews => "matthews",
        MetricKind.Pearson => "pearson",
        MetricKind.Spearman => "spearman",
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };
}

/// <summary>
/// What a task is: its name, whether examples are sentence pairs, its labels (empty for
/// regression) and the metrics it is scored with, the first being the primary one. F1 is
/// computed for <see cref="PositiveLabel"/>.
/// </summary>
public sealed record TaskSpec(
    string Name,
    bool IsPair,
    IReadOnlyList<string> Labels,
    IReadOnlyList<MetricKind> Metrics,
    string Description,
    int PositiveLabel = 1)
{
    public bool IsRegression => Labels.Count == 0;
    public MetricKind PrimaryMetric => Metrics[0];

    public int LabelIndex(string label)
    {
        for (var i = 0; i < Labels.Count; i++) if (Labels[i] == label) return i;
        return -1;
    }

    /// <summary>Scores predicted label indices (classification tasks).</summary>
    public TaskScore Score(IReadOnlyList<int> predicted, IReadOnlyList<int> gold)
    {
        if (IsRegression) throw new InvalidOperationException($"{Name} is a regression task: score real-valued predictions");
        return new TaskScore(PrimaryMetric, Metrics.ToDictionary(m => m, m => m switch
        {
            MetricKind.Accuracy => Evaluation.Metrics.Accuracy(predicted, gold),
            MetricKind.F1 => Evaluation.Metrics.F1(predicted, gold, PositiveLabel),
            MetricKind.Matthews => Evaluation.Metrics.Matthews(predicted, gold),
            _ => throw new InvalidOperationException($"{Name}: {m} needs real-valued predictions"),
        }));
    }

    /// <summary>Scores real-valued predictions (regression tasks).</summary>
    public TaskScore Score(IReadOnlyList<double> predicted, IReadOnlyList<double> gold)
    {
        if (!IsRegression) throw new InvalidOperationException($"{Name} is a classification task: score label indices");
        return new TaskScore(PrimaryMetric, Metrics.ToDictionary(m => m, m => m switch
        {
            MetricKind.Pearson => Evaluation.Metrics.Pearson(predicted, gold),
            MetricKind.Spearman => Evaluation.Metrics.Spearman(predicted, gold),
            _ => throw new InvalidOperationException($"{Name}: {m} needs label predictions"),
        }));
    }

    /// <summary>Scores predictions against a split's gold labels or scores.</summary>
    public TaskScore Score(IReadOnlyList<int> predicted, IReadOnlyList<Example> gold) =>
        Score(predicted, gold.Select(e => e.Label).ToArray());

    public TaskScore Score(IReadOnlyList<double> predicted, IReadOnlyList<Example> gold) =>
        Score(predicted, gold.Select(e => e.Score).ToArray());
}
