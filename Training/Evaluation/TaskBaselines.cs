using Probing.Training.Data;

namespace Probing.Training.Evaluation;

/// <summary>
/// Sanity baselines of a classification task, scored with its primary metric: the majority
/// class of train, a classifier that sees only lengths, and a bag-of-words logistic regression
/// (unigrams + bigrams, L2 picked on dev). Dev and test scores; test is null where a task has none.
/// </summary>
public static class TaskBaselines
{
    public sealed record Scores(double Dev, double? Test);

    public sealed record Result(TaskSpec Spec, Scores Majority, Scores LengthOnly, Scores BagOfWords, double ChosenL2);

    static readonly double[] L2Grid = [1e-6, 1e-5, 1e-4];

    public static Result Compute(TaskData data)
    {
        var spec = data.Spec;
        var majorityScores = Majority(data);

        var lengthModel = Fit(data, HashedFeatures.Length, 1e-6);
        var lengthScores = Evaluate(data, e => lengthModel.Predict(HashedFeatures.Length(e)));

        var candidates = L2Grid.Select(l2 => (L2: l2, Model: Fit(data, HashedFeatures.BagOfWords, l2))).ToList();
        var best = candidates.MaxBy(c => Score(spec, data.Dev, e => c.Model.Predict(HashedFeatures.BagOfWords(e))));
        var bowScores = Evaluate(data, e => best.Model.Predict(HashedFeatures.BagOfWords(e)));
        return new Result(spec, majorityScores, lengthScores, bowScores, best.L2);
    }

    /// <summary>Always predicting train's most frequent label: the score a classifier that learned nothing gets.</summary>
    public static Scores Majority(TaskData data)
    {
        if (data.Spec.IsRegression) throw new ArgumentException($"{data.Spec.Name}: baselines are defined for classification tasks");
        var majority = data.Train.GroupBy(e => e.Label).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        return Evaluate(data, _ => majority);
    }

    static LogisticRegression Fit(TaskData data, Func<Example, (int[], float[])> features, double l2) =>
        LogisticRegression.Train(data.Train.Select(features).ToList(), data.Train.Select(e => e.Label).ToList(),
            data.Spec.Labels.Count, HashedFeatures.Buckets, l2);

    static Scores Evaluate(TaskData data, Func<Example, int> predict) =>
        new(Score(data.Spec, data.Dev, predict), data.Test is { } test ? Score(data.Spec, test, predict) : null);

    static double Score(TaskSpec spec, IReadOnlyList<Example> split, Func<Example, int> predict) =>
        spec.Score(split.Select(predict).ToArray(), split).Primary;
}
