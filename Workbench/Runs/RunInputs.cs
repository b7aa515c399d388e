using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.FineTuning;

namespace Probing.Workbench.Runs;

/// <summary>The inputs of a <see cref="RunIdentity"/> that commands share: a model folder and task files.</summary>
public static class RunInputs
{
    /// <summary>A model folder by the content of every file loading it reads: weights, config, tokenizer files (and a fine-tuned head's head.json).</summary>
    public static InputFiles Model(ModelFolder folder) =>
        InputFiles.Of(folder.Path, [.. folder.ContentFiles, .. FineTunedModel.HasHead(folder.Path) ? [HeadInfo.FileName] : Array.Empty<string>()]);

    /// <summary>
    /// The files the named tasks are read from: "data" for embedded tasks (under data/tasks), "glue"
    /// for GLUE tasks (under the GLUE folder). Each task's files once, whatever the order.
    /// </summary>
    public static IReadOnlyDictionary<string, InputFiles> Tasks(IEnumerable<string> names, string? glueDir)
    {
        var byRoot = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var (root, files) = TaskCatalog.SourceFiles(name, glueDir);
            if (!byRoot.TryGetValue(root, out var set)) byRoot[root] = set = new SortedSet<string>(StringComparer.Ordinal);
            set.UnionWith(files);
        }
        return byRoot.ToDictionary(r => r.Key == Training.Data.Embedded.EmbeddedSuite.DefaultTasksDir ? "data" : "glue", r => InputFiles.Of(r.Key, r.Value));
    }

    /// <summary>Inputs from several named groups in one dictionary (later names win).</summary>
    public static IReadOnlyDictionary<string, InputFiles> With(this IReadOnlyDictionary<string, InputFiles> inputs, string name, InputFiles files) =>
        new Dictionary<string, InputFiles>(inputs) { [name] = files };
}
