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

    public static TaskData Load(string name, string? glueDir = null)
    {
        var embedded = EmbeddedSuite.Find(name);
        if (embedded != null) return EmbeddedSuite.Load(embedded);
        var glue = GlueTasks.Find(name);
        if (glue != null)
            return glueDir != null ? GlueReader.Load(glue, glueDir)
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
