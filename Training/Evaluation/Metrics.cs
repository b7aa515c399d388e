namespace Probing.Training.Evaluation;

/// <summary>The GLUE metrics, written out so every component scores predictions the same way.</summary>
public static class Metrics
{
    public static double Accuracy(IReadOnlyList<int> predicted, IReadOnlyList<int> gold)
    {
        CheckLengths(predicted.Count, gold.Count);
        var correct = 0;
        for (var i = 0; i < gold.Count; i++) if (predicted[i] == gold[i]) correct++;
        return (double)correct / gold.Count;
    }

    /// <summary>F1 of <paramref name="positive"/>; 0 when there is no true positive (as scikit-learn reports it).</summary>
    public static double F1(IReadOnlyList<int> predicted, IReadOnlyList<int> gold, int positive = 1)
    {
        CheckLengths(predicted.Count, gold.Count);
        int truePositive = 0, falsePositive = 0, falseNegative = 0;
        for (var i = 0; i < gold.Count; i++)
        {
            var predictedPositive = predicted[i] == positive;
            var goldPositive = gold[i] == positive;
            if (predictedPositive && goldPositive) truePositive++;
            else if (predictedPositive) falsePositive++;
            else if (goldPositive) falseNegative++;
        }
        return truePositive == 0 ? 0 : 2.0 * truePositive / (2.0 * truePositive + falsePositive + falseNegative);
    }

    /// <summary>
    /// Matthews correlation in its multi-class form (Gorodkin 2004), which equals the binary
    /// formula for two classes; 0 when either side predicts a single class (undefined correlation).
    /// </summary>
    public static double Matthews(IReadOnlyList<int> predicted, IReadOnlyList<int> gold)
    {
        CheckLengths(predicted.Count, gold.Count);
        var classes = predicted.Concat(gold).Distinct().ToArray();
        var predictedCounts = classes.ToDictionary(c => c, c => (double)predicted.Count(p => p == c));
        var goldCounts = classes.ToDictionary(c => c, c => (double)gold.Count(g => g == c));
        double n = gold.Count, correct = 0;
        for (var i = 0; i < gold.Count; i++) if (predicted[i] == gold[i]) correct++;
        var numerator = correct * n - classes.Sum(c => predictedCounts[c] * goldCounts[c]);
        var predictedSpread = n * n - classes.Sum(c => predictedCounts[c] * predictedCounts[c]);
        var goldSpread = n * n - classes.Sum(c => goldCounts[c] * goldCounts[c]);
        return predictedSpread == 0 || goldSpread == 0 ? 0 : numerator / Math.Sqrt(predictedSpread * goldSpread);
    }

    /// <summary>Pearson correlation; 0 when either side is constant.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckLengths(x.Count, y.Count);
        double meanX = x.Average(), meanY = y.Average(), covariance = 0, varianceX = 0, varianceY = 0;
        for (var i = 0; i < x.Count; i++)
        {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            covariance += dx * dy;
            varianceX += dx * dx;
            varianceY += dy * dy;
        }
        return varianceX == 0 || varianceY == 0 ? 0 : covariance / Math.Sqrt(varianceX * varianceY);
    }

    /// <summary>Spearman correlation: Pearson of ranks, tied values sharing their average rank.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckLengths(x.Count, y.Count);
        return Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>1-based ranks; a run of ties gets the mean of the ranks it spans.</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
    }

    static void CheckLengths(int predicted, int gold)
    {
        if (predicted != gold) throw new ArgumentException($"{predicted} predictions for {gold} gold labels");
        if (gold == 0) throw new ArgumentException("no examples to score");
    }
}
