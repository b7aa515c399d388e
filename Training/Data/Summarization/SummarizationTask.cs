namespace Probing.Training.Data.Summarization;

/// <summary>
/// One document and its reference summary. A summary may hold several sentences separated by
/// '\n' (ROUGE-Lsum scores sentence by sentence); the embedded task's summaries are one line.
/// </summary>
public sealed record SummaryExample(string Document, string Summary);

/// <summary>
/// A loaded sequence-to-sequence task: train and dev (fairseq's <c>valid</c>) always, test where
/// the source has one. Splits keep file order.
/// </summary>
public sealed record SummarizationTask(
    string Name,
    IReadOnlyList<SummaryExample> Train,
    IReadOnlyList<SummaryExample> Dev,
    IReadOnlyList<SummaryExample>? Test)
{
    public IReadOnlyList<SummaryExample> Split(string name) => name switch
    {
        "train" => Train,
        "dev" or "valid" or "validation" => Dev,
        "test" => Test ?? throw new ArgumentException($"summarization task {Name} has no test split"),
        _ => throw new ArgumentException($"summarization task {Name} has no split '{name}' (it has train, dev{(Test != null ? ", test" : "")})"),
    };
}

/// <summary>
/// Which JSON fields of a JSONL line hold the document and the summary. The defaults are the
/// names XSum and Gigaword use on the Hugging Face hub; CNN/DailyMail uses article/highlights,
/// Reddit TIFU documents/tldr.
/// </summary>
public sealed record SummaryFields(string Document = "document", string Summary = "summary")
{
    public static readonly SummaryFields Default = new();
}
