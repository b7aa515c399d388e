namespace Probing.Training.Evaluation;

/// <summary>One ROUGE variant over a corpus: mean per-document F1 with its bootstrap interval, and mean precision and recall.</summary>
public sealed record RougeSummary(MeanInterval F1, double Precision, double Recall);

/// <summary>
/// Corpus-level ROUGE as rouge-score's aggregator reports it: every measure is the mean of the
/// per-document values (not an F1 of pooled counts), here with a percentile-bootstrap confidence
/// interval over documents for each variant's F1 (<see cref="Bootstrap"/>; one draw of documents
/// per resample for all four variants). Values are fractions in [0, 1]; papers print them × 100.
/// </summary>
public sealed record CorpusRouge(int Documents, RougeSummary Rouge1, RougeSummary Rouge2, RougeSummary RougeL, RougeSummary RougeLsum, BootstrapSettings Bootstrap)
{
    public static readonly RougeType[] Types = [RougeType.Rouge1, RougeType.Rouge2, RougeType.RougeL, RougeType.RougeLsum];

    public RougeSummary this[RougeType type] => type switch
    {
        RougeType.Rouge1 => Rouge1,
        RougeType.Rouge2 => Rouge2,
        RougeType.RougeL => RougeL,
        RougeType.RougeLsum => RougeLsum,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Scores predictions against targets (same order) and aggregates.</summary>
    public static CorpusRouge Score(IReadOnlyList<string> targets, IReadOnlyList<string> predictions, BootstrapSettings? bootstrap = null, bool stem = true) =>
        Aggregate(Rouge.ScoreAll(targets, predictions, stem), bootstrap);

    public static CorpusRouge Aggregate(IReadOnlyList<RougeScores> documents, BootstrapSettings? bootstrap = null)
    {
        bootstrap ??= BootstrapSettings.Default;
        if (documents.Count == 0) throw new ArgumentException("no documents to aggregate");
        var intervals = Evaluation.Bootstrap.MeanIntervals(Types.Select(t => (IReadOnlyList<double>)documents.Select(d => d[t].F1).ToArray()).ToList(), bootstrap);
        var summaries = Types.Select((t, i) => new RougeSummary(intervals[i], documents.Average(d => d[t].Precision), documents.Average(d => d[t].Recall))).ToArray();
        return new CorpusRouge(documents.Count, summaries[0], summaries[1], summaries[2], summaries[3], bootstrap);
    }

    public static string Name(RougeType type) => type switch
    {
        RougeType.Rouge1 => "rouge1",
        RougeType.Rouge2 => "rouge2",
        RougeType.RougeL => "rougeL",
        RougeType.RougeLsum => "rougeLsum",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public override string ToString() => string.Join(" ", Types.Select(t =>
        FormattableString.Invariant($"{Name(t)}={100 * this[t].F1.Mean:F2} [{100 * this[t].F1.Low:F2}, {100 * this[t].F1.High:F2}]")));
}
