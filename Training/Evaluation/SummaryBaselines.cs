using Probing.Training.Data.Summarization;

namespace Probing.Training.Evaluation;

/// <summary>
/// The trivial summarizer every summarization table should beat: lead-k, the document's first k
/// words (whitespace-separated, as written). On headline data it is strong because synopses
/// restate the opening (Gigaword papers quote it too).
/// </summary>
public static class SummaryBaselines
{
    public const int LeadWords = 8;

    public static string Lead(string document, int words = LeadWords) =>
        string.Join(' ', document.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(words));

    public static CorpusRouge LeadRouge(IReadOnlyList<SummaryExample> split, int words = LeadWords, BootstrapSettings? bootstrap = null) =>
        CorpusRouge.Score(split.Select(e => e.Summary).ToList(), split.Select(e => Lead(e.Document, words)).ToList(), bootstrap);
}
