using Probing.Training.Evaluation;

namespace Probing.Training.Data.Summarization;

/// <summary>
/// What a split of a summarization task looks like: median document and summary length in
/// whitespace words, and how extractive it is — the mean share of a summary's ROUGE tokens
/// (lower-cased, stemmed) that occur in its document.
/// </summary>
public sealed record SummarizationStatistics(int Examples, double DocumentWords, double SummaryWords, double SummaryTokensInDocument)
{
    public static SummarizationStatistics Of(IReadOnlyList<SummaryExample> split)
    {
        if (split.Count == 0) throw new ArgumentException("empty split");
        var covered = split.Select(e =>
        {
            var summary = RougeTokenizer.Tokenize(e.Summary);
            var document = RougeTokenizer.Tokenize(e.Document).ToHashSet(StringComparer.Ordinal);
            return summary.Count == 0 ? 0.0 : (double)summary.Count(document.Contains) / summary.Count;
        }).Average();
        return new SummarizationStatistics(split.Count,
            Median(split.Select(e => Words(e.Document))), Median(split.Select(e => Words(e.Summary))), covered);
    }

    static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    static double Median(IEnumerable<int> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2.0;
    }
}
