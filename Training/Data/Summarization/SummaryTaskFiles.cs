using System.IO.Compression;
using System.Text;
using Probing.Training.Data.Embedded;
using Probing.Training.Infrastructure;

namespace Probing.Training.Data.Summarization;

/// <summary>
/// An embedded summarization task's folder: <c>{train,dev,test}.tsv.gz</c>, header
/// <c>document\tsummary</c>, one example per line. Written gzip is deterministic (no timestamp or
/// file name in the header), so a rebuild gives identical bytes, as for <see cref="TaskFiles"/>.
/// Fields hold no tab or line break; a multi-sentence summary would need another format.
/// </summary>
public static class SummaryTaskFiles
{
    public const string Header = "document\tsummary";

    public static string SplitFile(string taskDir, string split) => Path.Combine(taskDir, split + ".tsv.gz");

    public static void Write(string taskDir, IReadOnlyDictionary<string, IReadOnlyList<SummaryExample>> splits)
    {
        foreach (var (split, examples) in splits)
        {
            var text = new StringBuilder(Header).Append('\n');
            foreach (var e in examples) text.Append(Field(e.Document)).Append('\t').Append(Field(e.Summary)).Append('\n');
            AtomicFile.Write(SplitFile(taskDir, split), temp =>
            {
                using var file = File.Create(temp);
                using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
                gzip.Write(new UTF8Encoding(false).GetBytes(text.ToString()));
            });
        }
    }

    public static SummarizationTask Read(string taskDir, string name)
    {
        if (!Directory.Exists(taskDir)) throw InputError.InFile(taskDir, "task folder not found (run `workbench tasks build`)");
        return new SummarizationTask(name,
            ReadSplit(SplitFile(taskDir, SplitAssignment.Train)),
            ReadSplit(SplitFile(taskDir, SplitAssignment.Dev)),
            ReadSplit(SplitFile(taskDir, SplitAssignment.Test)));
    }

    static List<SummaryExample> ReadSplit(string path)
    {
        var examples = new List<SummaryExample>();
        var lineNumber = 0;
        foreach (var line in TextFiles.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                if (line != Header) throw InputError.AtLine(path, 1, $"expected the header '{Header.Replace("\t", "\\t")}'");
                continue;
            }
            var fields = line.Split('\t');
            if (fields.Length != 2) throw InputError.AtLine(path, lineNumber, $"expected 2 tab-separated columns, found {fields.Length}");
            if (fields[0].Length == 0 || fields[1].Length == 0) throw InputError.AtLine(path, lineNumber, "empty document or summary");
            examples.Add(new SummaryExample(fields[0], fields[1]));
        }
        if (examples.Count == 0) throw InputError.InFile(path, "no examples");
        return examples;
    }

    static string Field(string text) =>
        text.Length > 0 && text.IndexOfAny(['\t', '\n', '\r']) < 0 ? text : throw new ArgumentException($"text unfit for a TSV field: '{text}'");
}
