using System.CommandLine;
using System.Globalization;
using Probing.Probing.Features;
using Probing.Probing.Protocols;
using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.Data.Embedded;
using Probing.Training.Data.Glue;
using Probing.Training.Evaluation;
using Probing.Training.Infrastructure;
using Probing.Workbench.Experiments;
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
        command.SetAction(parseResult => List(parseResult.GetValue(dataDir)));
        command.Subcommands.Add(BuildCommand());
        command.Subcommands.Add(BaselinesCommand());
        command.Subcommands.Add(GapsCommand());
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

    static Command GapsCommand()
    {
        var model = CommonOptions.Model();
        var tasks = new Option<string[]>("--tasks") { Description = "Tasks (default: every embedded task)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var limits = new Option<string[]>("--train-limits") { Description = "Probe train sizes, 'all' for the whole split (default: all 256)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["all", "256"] };
        var seeds = new Option<string[]>("--seeds") { Description = "Probe seeds, each also drawing its own random encoder (default 1-3)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["1-3"] };
        var output = CommonOptions.Output($"the gap table (default: {ProbeGapFile.FileName} in the model folder)");
        var command = new Command("gaps", $"Probe every task on the frozen base and on random encoders of its shape; write the base − random gaps ({ProbeGapFile.FileName}) that `tasks` shows and the default probe reads")
        {
            model, tasks, limits, seeds, output,
        };
        command.SetAction(parse =>
        {
            var names = ProbeOptions.SplitList(parse.GetValue(tasks)!);
            var defaults = GapSettings.Default;
            var settings = defaults with
            {
                Tasks = names.Length > 0 ? names : defaults.Tasks,
                TrainLimits = [.. ProbeOptions.SplitList(parse.GetValue(limits)!).Select(ParseLimit)],
                Seeds = SeedList.Parse(string.Join(",", parse.GetValue(seeds)!)),
            };
            foreach (var task in settings.Tasks) TaskCatalog.Spec(task);
            CommonOptions.ApplyRuntime(parse);
            var folder = ModelFolder.Resolve(parse.GetValue(model));
            var path = parse.GetValue(output) ?? ProbeGapFile.PathIn(folder.Path);
            var rows = ProbeGapMeasurement.Run(folder, settings, path);
            ProbeGapMeasurement.Print(rows);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(path)}[/]");
            return 0;
        });
        return command;
    }

    static int? ParseLimit(string text) => text == "all" ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 2 ? n
        : throw new InputError($"--train-limits {text}: expected 'all' or a number of examples ≥ 2");

    /// <summary>Lists every task; a broken GLUE task file is reported on stderr (file:line: problem) after the others are listed, and the exit code is then 2.</summary>
    static int List(string? glueDir)
    {
        var survey = glueDir is null ? null : GlueReader.ReadPresent(glueDir);
        var table = new Table().AddColumns("task", "kind", "stands in for", "train", "dev", "test", "labels (train share)", "primary metric", "majority (dev)");
        var gaps = ShippedBaseGaps();
        var limits = gaps.Select(s => s.TrainLimit).Distinct().ToList();
        foreach (var limit in limits) table.AddColumn($"base − random, {GapSettings.LimitText(limit)} train");
        foreach (var task in EmbeddedSuite.Tasks)
        {
            var cells = limits.Select(l => gaps.FirstOrDefault(s => s.Task == task.Spec.Name && s.TrainLimit == l) is { } s ? ProbeGapMeasurement.Cell(s) : "-");
            AddRow(table, EmbeddedSuite.Load(task), Kind(task), task.StandsInFor ?? "", cells);
        }
        foreach (var read in survey?.Read ?? [])
        {
            var skipped = read.SkippedLines.Values.Sum();
            AddRow(table, read.Data, skipped > 0 ? $"GLUE ({skipped} incomplete lines skipped)" : "GLUE", "", limits.Select(_ => "-"));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(gaps.Count == 0
            ? $"[grey]No base − random gaps measured on the shipped base yet: `workbench tasks gaps` writes them.[/]"
            : $"[grey]Base − random: linear probe on the shipped base's last layer minus one on a random encoder of its shape (dev, mean ± sd over probe seeds). Tasks under {GapSummary.DiscriminatingGap:0} pts in every setting (red) are left out of the default probe.[/]");
        if (glueDir == null) AnsiConsole.MarkupLine("[grey]GLUE tasks (cola, sst2, mrpc, stsb, qqp, mnli, mnli-mm, qnli, rte, wnli) are listed with --data-dir.[/]");
        else if (survey!.Absent.Count > 0)
            AnsiConsole.MarkupLine("[grey]" + Markup.Escape($"GLUE tasks whose folder is not in {glueDir}: {string.Join(", ", survey.Absent.Select(f => $"{f.Spec.Name} ({f.Folder}/)"))}") + "[/]");
        var problems = survey?.Broken.Select(b => b.Problem).Distinct().ToList() ?? [];
        foreach (var problem in problems) Console.Error.WriteLine($"error: {problem}");
        return problems.Count > 0 ? Cli.BadInputExitCode : 0;
    }

    static string Kind(EmbeddedTask task) =>
        task.Builder is RelabelledTaskBuilder ? "relabelled" :
        !task.Spec.Name.EndsWith("-proxy", StringComparison.Ordinal) ? "real" : task.Spec.IsPair ? "pair proxy" : "proxy";

    static IReadOnlyList<GapSummary> ShippedBaseGaps()
    {
        var folder = ModelFolder.Resolve(null);
        var rows = ProbeGapFile.TryRead(folder);
        return rows is null ? [] : GapSummary.Of(rows);
    }

    static void AddRow(Table table, TaskData data, string kind, string standsInFor, IEnumerable<string> gapCells)
    {
        var spec = data.Spec;
        string Count(IReadOnlyList<Example>? split) => split == null ? "-" : split.Count.ToString("N0", CultureInfo.InvariantCulture);
        table.AddRow([Markup.Escape(spec.Name), Markup.Escape(kind), standsInFor, Count(data.Train), Count(data.Dev), Count(data.Test),
            Markup.Escape(LabelShares(data)), TaskScore.Name(spec.PrimaryMetric), Majority(data), .. gapCells]);
    }

    public static string LabelShares(TaskData data) => data.Spec.IsRegression
        ? "regression"
        : string.Join(" ", data.Spec.Labels.Select((label, i) =>
            FormattableString.Invariant($"{label} {100.0 * data.Train.Count(e => e.Label == i) / data.Train.Count:F0}%")));

    static string Majority(TaskData data) =>
        data.Spec.IsRegression ? "-" : TaskBaselines.Majority(data).Dev.ToString("F3", CultureInfo.InvariantCulture);
}
