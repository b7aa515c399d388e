using Probing.Probing.Features;
using Probing.Training.Data;

namespace Probing.Probing.Probes;

/// <summary>
/// Features of one split with their targets: label indices for classification, real scores for
/// regression (<see cref="Labels"/> is then all -1).
/// </summary>
public sealed record ProbeSplit(FeatureMatrix Features, int[] Labels, double[] Scores)
{
    public int Count => Features.Rows;

    public static ProbeSplit Of(FeatureMatrix features, IReadOnlyList<Example> examples) =>
        features.Rows == examples.Count
            ? new(features, [.. examples.Select(e => e.Label)], [.. examples.Select(e => e.Score)])
            : throw new ArgumentException($"{features.Rows} feature rows for {examples.Count} examples");

    public ProbeSplit Select(IReadOnlyList<int> rows) =>
        new(Features.SelectRows(rows), [.. rows.Select(r => Labels[r])], [.. rows.Select(r => Scores[r])]);

    public ProbeSplit WithLabels(int[] labels) => this with { Labels = labels };

    public static ProbeSplit Concat(ProbeSplit a, ProbeSplit b) =>
        new(new FeatureMatrix([.. a.Features.Data, .. b.Features.Data], a.Count + b.Count, a.Features.Columns),
            [.. a.Labels, .. b.Labels], [.. a.Scores, .. b.Scores]);
}

/// <summary>What a probe learns from: the task, a training split, and a held-out split to choose its regularization on.</summary>
public sealed record ProbeProblem(TaskSpec Spec, ProbeSplit Train, ProbeSplit Validation);

/// <summary>A probe's predictions on a split: label indices, or scores for a regression task.</summary>
public sealed record ProbePredictions(int[]? Labels, double[]? Scores)
{
    public TaskScore Score(TaskSpec spec, ProbeSplit gold) =>
        spec.IsRegression ? spec.Score(Scores ?? throw new InvalidOperationException("a regression probe must predict scores"), gold.Scores)
            : spec.Score(Labels ?? throw new InvalidOperationException("a classification probe must predict labels"), gold.Labels);
}

/// <summary>A trained probe.</summary>
public interface IFittedProbe
{
    /// <summary>The regularization it chose (the probe documents which: C, α, weight decay…).</summary>
    double Regularization { get; }

    ProbePredictions Predict(FeatureMatrix features);
}

/// <summary>
/// A probe over frozen features: fits on <see cref="ProbeProblem.Train"/>, chooses its own
/// regularization on <see cref="ProbeProblem.Validation"/>, and is then scored by the caller on
/// dev/test. Must be deterministic for a given seed. Register new probes in <see cref="ProbeRegistry"/>.
/// </summary>
public interface IProbe
{
    string Name { get; }

    IFittedProbe Fit(ProbeProblem problem, int seed);
}
