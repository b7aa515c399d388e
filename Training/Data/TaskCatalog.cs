using Probing.Training.Data.Embedded;
using Probing.Training.Data.Glue;
using Probing.Training.Infrastructure;

namespace Probing.Training.Data;

/// <summary>
/// Resolves a task name to its data: an embedded task (offline, under <c>data/tasks/</c>) or a
/// GLUE task read from <paramref name="glueDir"/>. Names match case-insensitively and ignore
/// '-' and '_', so "SST-2", "sst2" and "sst_2" are the same task.
/// </summary>
public static class TaskCatalog
{
    public static IEnumerable<string> EmbeddedNames => EmbeddedSuite.Tasks.Select(t => t.Spec.Name);
    public static IEnumerable<string> GlueNames => GlueTasks.All.Select(f => f.Spec.Name);

    static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string?), (string Stamp, TaskData Data)> loaded = new();

    /// <summary>
    /// The task's data, checked line by line. Remembered for the life of the process while its files
    /// are unchanged: planning a study reads each task once, however many runs use it.
    /// </summary>
    public static TaskData Load(string name, string? glueDir = null)
    {
        var key = (Canonical(name), glueDir is null ? null : Path.GetFullPath(glueDir));
        var stamp = Stamp(name, glueDir);
        if (stamp is not null && loaded.TryGetValue(key, out var known) && known.Stamp == stamp) return known.Data;
        var data = Read(name, glueDir);
        if (stamp is not null) loaded[key] = (stamp, data);
        return data;
    }

    /// <summary>Size and modification time of every source file, or null if one is missing (then reading reports it).</summary>
    static string? Stamp(string name, string? glueDir)
    {
        if (EmbeddedSuite.Find(name) is null && (GlueTasks.Find(name) is null || glueDir is null)) return null;
        var (root, files) = SourceFiles(name, glueDir);
        var parts = new List<string>();
        foreach (var file in files)
        {
            var info = new FileInfo(Path.Combine(root, file));
            if (!info.Exists) return null;
            parts.Add(FormattableString.Invariant($"{file}:{info.Length}:{info.LastWriteTimeUtc.Ticks}"));
        }
        return string.Join("|", parts);
    }

    static TaskData Read(string name, string? glueDir)
    {
        var embedded = EmbeddedSuite.Find(name);
        if (embedded != null) return EmbeddedSuite.Load(embedded);
        var glue = GlueTasks.Find(name);
        if (glue != null)
            return glueDir != null ? GlueReader.Load(glue, glueDir)
                : throw new InputError($"task '{name}' is a GLUE task: pass --data-dir <folder holding {glue.Folder}/>");
        throw UnknownTask(name);
    }

    /// <summary>
    /// The files <see cref="Load"/> reads for a task, as a folder and paths relative to it (the task's
    /// split files under data/tasks, or its TSV files in the GLUE folder): what a run's identity hashes.
    /// </summary>
    public static (string Root, IReadOnlyList<string> Files) SourceFiles(string name, string? glueDir = null)
    {
        if (EmbeddedSuite.Find(name) is { } embedded)
            return (EmbeddedSuite.DefaultTasksDir, [.. SplitAssignment.Names.Select(split => Path.Combine(embedded.Spec.Name, split + ".tsv.gz"))]);
        if (GlueTasks.Find(name) is { } glue)
            return glueDir != null ? (Path.GetFullPath(glueDir), [.. glue.Files.Select(f => Path.Combine(glue.Folder, f.File))])
                : throw new InputError($"task '{name}' is a GLUE task: pass --data-dir <folder holding {glue.Folder}/>");
        throw UnknownTask(name);
    }

    /// <summary>The spec alone, without reading data.</summary>
    public static TaskSpec Spec(string name) =>
        EmbeddedSuite.Find(name)?.Spec ?? GlueTasks.Find(name)?.Spec ?? throw UnknownTask(name);

    public static bool SameName(string a, string b) => Canonical(a) == Canonical(b);

    static string Canonical(string name) => name.Replace("-", "").Replace("_", "").ToLowerInvariant();

    static InputError UnknownTask(string name) => EmbeddedSuite.FindSummarization(name) is { } summarization
        ? new($"task '{summarization.Name}' is a summarization (sequence-to-sequence) task, not a classification task")
        : new($"unknown task '{name}'; embedded tasks: {string.Join(", ", EmbeddedNames)}; GLUE tasks (with --data-dir): {string.Join(", ", GlueNames)}");
}
