using Probing.Training.Data.Embedded;
using Probing.Training.Infrastructure;

namespace Probing.Training.Data.Summarization;

/// <summary>
/// Resolves a summarization task: an embedded task by name (offline, under <c>data/tasks/</c>;
/// names match as in <see cref="TaskCatalog"/>), or a folder a researcher brings, in fairseq's
/// <c>{train,valid,test}.{source,target}</c> layout (<see cref="FairseqSummaries"/>) or as JSON
/// Lines (<see cref="JsonlSummaries"/>, fields from <paramref name="fields"/>). An embedded name
/// wins over a folder of the same name in the working directory (write <c>./name</c> for that).
/// </summary>
public static class SummarizationCatalog
{
    public static IEnumerable<string> EmbeddedNames => EmbeddedSuite.SummarizationTasks.Select(t => t.Name);

    public static SummarizationTask Load(string nameOrFolder, SummaryFields? fields = null)
    {
        var embedded = EmbeddedSuite.FindSummarization(nameOrFolder);
        if (embedded != null) return EmbeddedSuite.Load(embedded);
        if (Directory.Exists(nameOrFolder)) return LoadFolder(nameOrFolder, fields);
        if (File.Exists(nameOrFolder))
            throw InputError.InFile(nameOrFolder, "is a file; pass the folder that holds the split files");
        var hint = EmbeddedSuite.Find(nameOrFolder) != null || TaskCatalog.GlueNames.Any(n => TaskCatalog.SameName(n, nameOrFolder))
            ? $" ('{nameOrFolder}' is a classification task)" : "";
        throw new InputError($"unknown summarization task '{nameOrFolder}'{hint}; embedded: {string.Join(", ", EmbeddedNames)}; " +
            "or a folder holding {train,valid,test}.{source,target} (fairseq) or {train,valid,test}.jsonl");
    }

    /// <summary>Reads a folder in either layout; the layout is told by the files present.</summary>
    public static SummarizationTask LoadFolder(string folder, SummaryFields? fields = null)
    {
        if (!Directory.Exists(folder)) throw InputError.InFile(folder, "summarization folder not found");
        bool fairseq = FairseqSummaries.IsLayoutOf(folder), jsonl = JsonlSummaries.IsLayoutOf(folder);
        if (fairseq && jsonl) throw InputError.InFile(folder, "holds both .source/.target and .jsonl split files: keep one layout");
        if (fairseq) return FairseqSummaries.Read(folder);
        if (jsonl) return JsonlSummaries.Read(folder, fields);
        throw InputError.InFile(folder, "no summarization files: expected {train,valid,test}.{source,target} (fairseq) or {train,valid,test}.jsonl");
    }

    /// <summary>
    /// The files <see cref="Load"/> reads for a task, as a folder and paths relative to it: the embedded
    /// task's split files under data/tasks, or a folder's split files in either layout (what a run's identity hashes).
    /// </summary>
    public static (string Root, IReadOnlyList<string> Files) SourceFiles(string nameOrFolder)
    {
        if (EmbeddedSuite.FindSummarization(nameOrFolder) is { } embedded)
            return (EmbeddedSuite.DefaultTasksDir, [.. SplitAssignment.Names.Select(split => Path.Combine(embedded.Name, split + ".tsv.gz"))]);
        var folder = Path.GetFullPath(nameOrFolder);
        if (!Directory.Exists(folder)) throw InputError.InFile(folder, "summarization folder not found");
        var files = Directory.GetFiles(folder)
            .Where(f => f.EndsWith(FairseqSummaries.SourceExtension, StringComparison.Ordinal) || f.EndsWith(FairseqSummaries.TargetExtension, StringComparison.Ordinal)
                || f.EndsWith(".jsonl", StringComparison.Ordinal))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        return (folder, files!);
    }

    /// <summary>Whether <paramref name="name"/> names a summarization task rather than a classification one.</summary>
    public static bool IsSummarization(string name) => EmbeddedSuite.FindSummarization(name) != null || Directory.Exists(name);

    /// <summary>A folder's task name: its last path component.</summary>
    public static string FolderName(string folder) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
}
