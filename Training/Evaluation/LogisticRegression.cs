namespace Probing.Training.Evaluation;

/// <summary>
/// Multinomial logistic regression on sparse hashed features, trained by SGD in a fixed,
/// seed-determined order, so its scores are reproducible. L2 decay is applied to the weights a
/// step touches (the usual lazy approximation for sparse SGD).
/// </summary>
public sealed class LogisticRegression
{
    readonly float[] weights;
    readonly int classes;
    readonly int buckets;

    LogisticRegression(int classes, int buckets)
    {
        this.classes = classes;
        this.buckets = buckets;
        weights = new float[classes * buckets];
    }

    public static LogisticRegression Train(IReadOnlyList<(int[] Indices, float[] Values)> features, IReadOnlyList<int> labels,
        int classes, int buckets, double l2, int epochs = 8, double learningRate = 0.5, ulong seed = 17)
    {
        var model = new LogisticRegression(classes, buckets);
        var order = Enumerable.Range(0, features.Count).ToArray();
        var random = new Data.Embedded.StableRandom(seed);
        var probabilities = new double[classes];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            var rate = learningRate / (1 + epoch);
            foreach (var i in order)
            {
                var (indices, values) = features[i];
                model.Probabilities(indices, values, probabilities);
                for (var c = 0; c < classes; c++)
                {
                    var gradient = probabilities[c] - (labels[i] == c ? 1 : 0);
                    var offset = c * buckets;
                    for (var k = 0; k < indices.Length; k++)
                    {
                        ref var w = ref model.weights[offset + indices[k]];
                        w -= (float)(rate * (gradient * values[k] + l2 * w));
                    }
                }
            }
        }
        return model;
    }

    public int Predict((int[] Indices, float[] Values) features)
    {
        var probabilities = new double[classes];
        Probabilities(features.Indices, features.Values, probabilities);
        var best = 0;
        for (var c = 1; c < classes; c++) if (probabilities[c] > probabilities[best]) best = c;
        return best;
    }

    void Probabilities(int[] indices, float[] values, double[] result)
    {
        var max = double.NegativeInfinity;
        for (var c = 0; c < classes; c++)
        {
            double z = 0;
            var offset = c * buckets;
            for (var k = 0; k < indices.Length; k++) z += weights[offset + indices[k]] * values[k];
            result[c] = z;
            max = Math.Max(max, z);
        }
        double sum = 0;
        for (var c = 0; c < classes; c++) sum += result[c] = Math.Exp(result[c] - max);
        for (var c = 0; c < classes; c++) result[c] /= sum;
    }
}
