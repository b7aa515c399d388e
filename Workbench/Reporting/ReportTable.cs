using System.Text;
using CsvHelper;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Reporting;

/// <summary>A table of formatted cells, written as CSV (for tools) and as Markdown (for the report).</summary>
public sealed record ReportTable(string Name, string Caption, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public void WriteCsv(string path) => AtomicFile.Write(path, temp =>
    {
        using var writer = CsvWriter.ToFile(temp);
        foreach (var row in new[] { Header }.Concat(Rows))
        {
            foreach (var cell in row) writer.WriteField(cell);
            writer.EndRecord();
        }
    });

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", Header) + " |");
        text.AppendLine("|" + string.Concat(Header.Select(_ => "---|")));
        foreach (var row in Rows) text.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|"))) + " |");
        return text.ToString();
    }
}
