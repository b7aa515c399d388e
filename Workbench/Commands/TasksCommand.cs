using System.CommandLine;
using System.Globalization;
using Probing.Training.Data;
using Probing.Training.Data.Embedded;
using Probing.Training.Data.Glue;
using Probing.Training.Evaluation;
using Probing.Training.Infrastructure;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>
/// <c>workbench tasks</c>: lists the tasks; <c>tasks build</c> rebuilds the embedded suite from
/// data/sources; <c>tasks baselines</c> writes data/BASELINES.md.
/// </summary>
public static class TasksCommand
{
    public static Command Create()
    {
        var dataDir = new TaskOptions().DataDir;
        var command = new Command("tasks", "List every task: sizes, label distribution, majority baseline, and which task stands in for which GLUE task");
        command.Options.Add(dataDir);
        command.SetAction(parseResult =>
        {
            List(parseResult.GetValue(dataDir));
            return 0;
        });
        command.Subcommands.Add(BuildCommand());
        command.Subcommands.Add(BaselinesCommand());
        return command;
    }

    static Command BuildCommand()
    {
        var output = new Option<string>("--out") { Description = "folder to write the task folders into", DefaultValueFactory = _ => EmbeddedSuite.DefaultTasksDir };
        var sources = new Option<string>("--sources") { Description = "folder holding the source files", DefaultValueFactory = _ => EmbeddedSuite.DefaultSourcesDir };
        var names = new Argument<string[]>("names") { Description = "tasks to build (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("build", "Rebuild the embedded tasks deterministically from data/sources into data/tasks");
        command.Options.Add(output);
        command.Options.Add(sources);
        command.Arguments.Add(names);
        command.SetAction(parseResult =>
        {
            var only = parseResult.GetValue(names) ?? [];
            foreach (var name in only) TaskCatalog.Spec(name);
            EmbeddedSuite.Build(parseResult.GetValue(sources)!, parseResult.GetValue(output)!, only, Console.WriteLine);
            return 0;
        });
        return command;
    }

    static Command BaselinesCommand()
    {
        var output = new Option<string>("--out") { Description = "Markdown file to write", DefaultValueFactory = _ => ProjectPaths.Data("BASELINES.md") };
        var command = new Command("baselines", "Score majority, length-only and bag-of-words baselines on every embedded task; write data/BASELINES.md");
        command.Options.Add(output);
        command.SetAction(parseResult =>
        {
            var results = EmbeddedSuite.Tasks.Select(t =>
            {
                var result = TaskBaselines.Compute(EmbeddedSuite.Load(t));
                Console.WriteLine($"{t.Spec.Name}: majority {result.Majority.Dev:F3}, length {result.LengthOnly.Dev:F3}, bag of words {result.BagOfWords.Dev:F3}");
                return result;
            }).ToList();
            AtomicFile.WriteAllText(parseResult.GetValue(output)!, BaselinesReport.Markdown(results));
            return 0;
        });
        return command;
    }

    static void List(string? glueDir)
    {
        var table = new Table().AddColumns("task", "kind", "stands in for", "train", "dev", "test", "labels (train share)", "primary metric", "majority (dev)");
        foreach (var task in EmbeddedSuite.Tasks)
            AddRow(table, EmbeddedSuite.Load(task), Kind(task), task.StandsInFor ?? "");
        if (glueDir != null)
            foreach (var format in GlueTasks.All)
            {
                var read = GlueReader.Read(format, glueDir);
                var skipped = read.SkippedLines.Values.Sum();
                AddRow(table, read.Data, skipped > 0 ? $"GLUE ({skipped} incomplete lines skipped)" : "GLUE", "");
            }
        AnsiConsole.Write(table);
        if (glueDir == null) AnsiConsole.MarkupLine("[grey]GLUE tasks (cola, sst2, mrpc, stsb, qqp, mnli, mnli-mm, qnli, rte, wnli) are listed with --data-dir.[/]");
    }

    static string Kind(EmbeddedTask task) =>
        task.Builder is RelabelledTaskBuilder ? "relabelled" :
        !task.Spec.Name.EndsWith("-proxy", StringComparison.Ordinal) ? "real" : task.Spec.IsPair ? "pair proxy" : "proxy";

    static void AddRow(Table table, TaskData data, string kind, string standsInFor)
    {
        var spec = data.Spec;
        string Count(IReadOnlyList<Example>? split) => split == null ? "-" : split.Count.ToString("N0", CultureInfo.InvariantCulture);
        table.AddRow(Markup.Escape(spec.Name), Markup.Escape(kind), standsInFor, Count(data.Train), Count(data.Dev), Count(data.Test),
            Markup.Escape(LabelShares(data)), TaskScore.Name(spec.PrimaryMetric), Majority(data));
    }

    public static string LabelShares(TaskData data) => data.Spec.IsRegression
        ? "regression"
        : string.Join(" ", data.Spec.Labels.Select((label, i) =>
            FormattableString.Invariant($"{label} {100.0 * data.Train.Count(e => e.Label == i) / data.Train.Count:F0}%")));

    static string Majority(TaskData data)
    {
        if (data.Spec.IsRegression) return "-";
        var majority = data.Train.GroupBy(e => e.Label).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        return data.Spec.Score(Enumerable.Repeat(majority, data.Dev.Count).ToArray(), data.Dev).Primary.ToString("F3", CultureInfo.InvariantCulture);
    }
}
