namespace Probing.Training.Data.Glue;

/// <summary>
/// How one GLUE task's official TSV files are laid out: the folder, the split files, the header
/// (null: CoLA's files have none), the column count and which columns hold the texts and label.
/// A negative column index counts from the end (MNLI's gold_label is last in 12- and 16-column files).
/// </summary>
public sealed record GlueFormat(
    TaskSpec Spec,
    string Folder,
    IReadOnlyList<(string Split, string File)> Files,
    IReadOnlyList<string>? Header,
    int Text1Column,
    int? Text2Column,
    int LabelColumn,
    bool SkipsIncompleteLines = false)
{
    /// <summary>The unlabelled test files whose predictions a GLUE submission holds (read when present).</summary>
    public IReadOnlyList<GlueTestFile> TestFiles { get; init; } = [];

    /// <summary>Columns a data line must have: the header's width, or 4 for header-less CoLA.</summary>
    public int ColumnsFor(IReadOnlyList<string>? header) => header?.Count ?? 4;

    public int Resolve(int column, int columns) => column < 0 ? columns + column : column;
}

/// <summary>
/// One unlabelled GLUE test file: its path under the GLUE folder, its header (the first column is the
/// example's index), the text columns, and the file of the submission that holds its predictions.
/// </summary>
public sealed record GlueTestFile(string File, IReadOnlyList<string> Header, int Text1Column, int? Text2Column, string Submission);
