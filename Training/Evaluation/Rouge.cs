namespace Probing.Training.Evaluation;

/// <summary>The four ROUGE variants summarization papers report.</summary>
public enum RougeType { Rouge1, Rouge2, RougeL, RougeLsum }

/// <summary>Precision, recall and F1 of one ROUGE variant for one (target, prediction) pair.</summary>
public readonly record struct RougeScore(double Precision, double Recall, double F1)
{
    public static readonly RougeScore Zero = new(0, 0, 0);

    /// <summary>rouge-score's <c>fmeasure</c>: the harmonic mean, 0 where precision and recall are both 0.</summary>
    public static RougeScore Of(double precision, double recall) =>
        new(precision, recall, precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0);
}

/// <summary>All four variants for one pair.</summary>
public sealed record RougeScores(RougeScore Rouge1, RougeScore Rouge2, RougeScore RougeL, RougeScore RougeLsum)
{
    public RougeScore this[RougeType type] => type switch
    {
        RougeType.Rouge1 => Rouge1,
        RougeType.Rouge2 => Rouge2,
        RougeType.RougeL => RougeL,
        RougeType.RougeLsum => RougeLsum,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}

/// <summary>
/// ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum as Google's rouge-score package computes them
/// (<c>RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True).score(target,
/// prediction)</c>), to the last floating-point digit:
/// <list type="bullet">
/// <item>tokens from <see cref="RougeTokenizer"/> (lower case, [^a-z0-9] separates, Porter stems of tokens longer than 3);</item>
/// <item>ROUGE-N: n-gram counts clipped by the other side's (min of the two counts), precision over the
/// prediction's n-grams, recall over the target's, each denominator at least 1 (so an empty side
/// scores 0, not NaN);</item>
/// <item>ROUGE-L: longest common subsequence of the whole token lists; 0 when either is empty;</item>
/// <item>ROUGE-Lsum: the texts split at '\n' into sentences (empty lines dropped), and for each target
/// sentence the union of its LCS with every prediction sentence, hits counted against the token
/// counts of both sides so no token is credited twice (ROUGE 1.5.5's summary-level LCS).</item>
/// </list>
/// F1 is the harmonic mean of precision and recall, 0 when both are 0. Note the argument order:
/// the target (reference) first, as in rouge-score; ROUGE-Lsum is not symmetric.
/// </summary>
public static class Rouge
{
    public static RougeScores Score(string target, string prediction, bool stem = true)
    {
        var targetTokens = RougeTokenizer.Tokenize(target, stem);
        var predictionTokens = RougeTokenizer.Tokenize(prediction, stem);
        return new RougeScores(
            NGrams(targetTokens, predictionTokens, 1),
            NGrams(targetTokens, predictionTokens, 2),
            Lcs(targetTokens, predictionTokens),
            SummaryLevelLcs(Sentences(target).Select(s => RougeTokenizer.Tokenize(s, stem)).ToList(),
                Sentences(prediction).Select(s => RougeTokenizer.Tokenize(s, stem)).ToList()));
    }

    /// <summary>Scores every (target, prediction) pair: one <see cref="RougeScores"/> per document.</summary>
    public static IReadOnlyList<RougeScores> ScoreAll(IReadOnlyList<string> targets, IReadOnlyList<string> predictions, bool stem = true)
    {
        if (targets.Count != predictions.Count)
            throw new ArgumentException($"{predictions.Count} predictions for {targets.Count} targets");
        return targets.Zip(predictions, (target, prediction) => Score(target, prediction, stem)).ToList();
    }

    public static RougeScore NGrams(IReadOnlyList<string> target, IReadOnlyList<string> prediction, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var targetCounts = Counts(target, n);
        var predictionCounts = Counts(prediction, n);
        var overlap = targetCounts.Sum(t => Math.Min(t.Value, predictionCounts.GetValueOrDefault(t.Key)));
        return RougeScore.Of((double)overlap / Math.Max(prediction.Count - n + 1, 1), (double)overlap / Math.Max(target.Count - n + 1, 1));
    }

    public static RougeScore Lcs(IReadOnlyList<string> target, IReadOnlyList<string> prediction)
    {
        if (target.Count == 0 || prediction.Count == 0) return RougeScore.Zero;
        var length = LcsTable(target, prediction)[target.Count, prediction.Count];
        return RougeScore.Of((double)length / prediction.Count, (double)length / target.Count);
    }

    public static RougeScore SummaryLevelLcs(IReadOnlyList<IReadOnlyList<string>> targetSentences, IReadOnlyList<IReadOnlyList<string>> predictionSentences)
    {
        if (targetSentences.Count == 0 || predictionSentences.Count == 0) return RougeScore.Zero;
        int m = targetSentences.Sum(s => s.Count), n = predictionSentences.Sum(s => s.Count);
        if (m == 0 || n == 0) return RougeScore.Zero;
        var targetLeft = TokenCounts(targetSentences);
        var predictionLeft = TokenCounts(predictionSentences);
        var hits = 0;
        foreach (var sentence in targetSentences)
        {
            var union = new SortedSet<int>();
            foreach (var prediction in predictionSentences) union.UnionWith(LcsIndices(sentence, prediction));
            foreach (var token in union.Select(i => sentence[i]))
            {
                if (predictionLeft.GetValueOrDefault(token) > 0 && targetLeft.GetValueOrDefault(token) > 0)
                {
                    hits++;
                    predictionLeft[token]--;
                    targetLeft[token]--;
                }
            }
        }
        return RougeScore.Of((double)hits / n, (double)hits / m);
    }

    /// <summary>rouge-score's sentence split for ROUGE-Lsum: at '\n', dropping empty lines (a line of only punctuation stays, with no tokens).</summary>
    public static IReadOnlyList<string> Sentences(string text) => text.Split('\n').Where(s => s.Length > 0).ToList();

    static Dictionary<string, int> Counts(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Count; i++)
        {
            // Tokens are [a-z0-9]+, so a space joins an n-gram into a key without ambiguity.
            var key = n == 1 ? tokens[i] : string.Join(' ', Enumerable.Range(i, n).Select(j => tokens[j]));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }

    static Dictionary<string, int> TokenCounts(IEnumerable<IReadOnlyList<string>> sentences)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in sentences.SelectMany(s => s)) counts[token] = counts.GetValueOrDefault(token) + 1;
        return counts;
    }

    static int[,] LcsTable(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var table = new int[a.Count + 1, b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
            for (var j = 1; j <= b.Count; j++)
                table[i, j] = a[i - 1] == b[j - 1] ? table[i - 1, j - 1] + 1 : Math.Max(table[i - 1, j], table[i, j - 1]);
        return table;
    }

    /// <summary>
    /// Indices into <paramref name="target"/> of one LCS with <paramref name="prediction"/>, read back
    /// from the table as rouge-score does (on a tie it moves up, i.e. drops a target token): which
    /// LCS is chosen changes the union, so the tie rule is part of the metric.
    /// </summary>
    static IEnumerable<int> LcsIndices(IReadOnlyList<string> target, IReadOnlyList<string> prediction)
    {
        var table = LcsTable(target, prediction);
        var indices = new List<int>();
        int i = target.Count, j = prediction.Count;
        while (i > 0 && j > 0)
        {
            if (target[i - 1] == prediction[j - 1]) { indices.Add(i - 1); i--; j--; }
            else if (table[i, j - 1] > table[i - 1, j]) j--;
            else i--;
        }
        return indices;
    }
}
