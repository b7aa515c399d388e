using Probing.Training.Infrastructure;

namespace Probing.Training.Data.Summarization;

/// <summary>
/// Reads fairseq's summarization layout, the way CNN/DailyMail, XSum and Gigaword are usually
/// distributed: <c>{train,valid,test}.source</c> and <c>.target</c>, one example per line, line i
/// of a split's source paired with line i of its target. train and valid are required, test is
/// read where present. Strict: an empty line, mismatched line counts, a split with only one of
/// its two files, or invalid UTF-8 is a one-line <see cref="InputError"/> naming file (and line).
/// Lines are trimmed (fairseq's own readers strip them too).
/// </summary>
public static class FairseqSummaries
{
    public const string SourceExtension = ".source", TargetExtension = ".target";
    public static readonly string[] Splits = ["train", "valid", "test"];

    /// <summary>Whether the folder looks like this layout (any split's .source or .target).</summary>
    public static bool IsLayoutOf(string folder) =>
        Splits.Any(s => File.Exists(SourcePath(folder, s)) || File.Exists(TargetPath(folder, s)));

    public static SummarizationTask Read(string folder, string? name = null)
    {
        if (!Directory.Exists(folder)) throw InputError.InFile(folder, "summarization folder not found");
        var train = ReadSplit(folder, "train", required: true)!;
        var dev = ReadSplit(folder, "valid", required: true)!;
        var test = ReadSplit(folder, "test", required: false);
        return new SummarizationTask(name ?? SummarizationCatalog.FolderName(folder), train, dev, test);
    }

    public static string SourcePath(string folder, string split) => Path.Combine(folder, split + SourceExtension);
    public static string TargetPath(string folder, string split) => Path.Combine(folder, split + TargetExtension);

    static IReadOnlyList<SummaryExample>? ReadSplit(string folder, string split, bool required)
    {
        string source = SourcePath(folder, split), target = TargetPath(folder, split);
        bool hasSource = File.Exists(source), hasTarget = File.Exists(target);
        if (!hasSource && !hasTarget)
            return required ? throw InputError.InFile(folder, $"no {split}{SourceExtension} and {split}{TargetExtension} (a fairseq summarization folder holds {{train,valid,test}}.{{source,target}}; test is optional)") : null;
        if (!hasSource) throw InputError.InFile(source, $"file not found ({split}{TargetExtension} exists: every split needs both files)");
        if (!hasTarget) throw InputError.InFile(target, $"file not found ({split}{SourceExtension} exists: every split needs both files)");
        var documents = ReadLines(source);
        var summaries = ReadLines(target);
        if (documents.Count != summaries.Count)
            throw InputError.InFile(target, $"{summaries.Count:N0} lines, but {split}{SourceExtension} has {documents.Count:N0} (one example per line in both)");
        if (documents.Count == 0) throw InputError.InFile(source, "no examples");
        return documents.Zip(summaries, (d, s) => new SummaryExample(d, s)).ToList();
    }

    static List<string> ReadLines(string path)
    {
        var lines = new List<string>();
        foreach (var line in TextFiles.ReadLines(path))
        {
            var text = line.Trim();
            if (text.Length == 0) throw InputError.AtLine(path, lines.Count + 1, "empty line (every line is one example)");
            lines.Add(text);
        }
        return lines;
    }
}
