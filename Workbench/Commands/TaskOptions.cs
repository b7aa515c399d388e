using System.CommandLine;
using Probing.Training.Data;

namespace Probing.Workbench.Commands;

/// <summary>
/// The options every command that takes a task shares: <c>--task</c> and <c>--data-dir</c> (a
/// GLUE folder in the official layout; defaults to $GLUE_DIR). Add them with <see cref="AddTo"/>
/// and resolve the task with <see cref="Load"/>.
/// </summary>
public sealed class TaskOptions
{
    public const string GlueDirVariable = "GLUE_DIR";

    public Option<string> Task { get; } = new("--task")
    {
        Description = "task name: an embedded task (`workbench tasks`) or a GLUE task with --data-dir",
        Required = true,
    };

    public Option<string?> DataDir { get; } = new("--data-dir")
    {
        Description = $"GLUE folder with <TASK>/train.tsv, dev.tsv (default: ${GlueDirVariable})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(GlueDirVariable) is { Length: > 0 } dir ? dir : null,
    };

    public TaskOptions AddTo(Command command)
    {
        command.Options.Add(Task);
        command.Options.Add(DataDir);
        return this;
    }

    public TaskData Load(ParseResult parseResult) => TaskCatalog.Load(parseResult.GetValue(Task)!, parseResult.GetValue(DataDir));
}
