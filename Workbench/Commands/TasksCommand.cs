using System.CommandLine;
using System.Globalization;
using Probing.Probing.Features;
using Probing.Probing.Protocols;
using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.Data.Embedded;
using Probing.Training.Data.Glue;
using Probing.Training.Data.Summarization;
using Probing.Training.Evaluation;
using Probing.Training.Infrastructure;
using Probing.Workbench.Experiments;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>
/// <c>workbench tasks</c>: lists the tasks (classification, then summarization); <c>tasks build</c>
/// rebuilds the embedded suite from data/sources; <c>tasks baselines</c> writes data/BASELINES.md.
/// </summary>
public static class TasksCommand
{
    public static Command Create()
    {
        var dataDir = new TaskOptions().DataDir;
        var summaries = new Option<string[]>("--summarization")
        {
            Description = "also list (and check) summarization folders: fairseq {train,valid,test}.{source,target} or {train,valid,test}.jsonl with document/summary fields",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [],
        };
        var documentField = new Option<string>("--document-field") { Description = "JSONL field holding the document", DefaultValueFactory = _ => SummaryFields.Default.Document };
        var summaryField = new Option<string>("--summary-field") { Description = "JSONL field holding the summary", DefaultValueFactory = _ => SummaryFields.Default.Summary };
        var command = new Command("tasks", "List every task: sizes, label distribution, majority baseline, and which task stands in for which GLUE task; then the summarization tasks")
        {
            dataDir, summaries, documentField, summaryField,
        };
        command.SetAction(parseResult =>
        {
            // Researchers' folders are read first, so a bad one fails before any table is printed.
            var fields = new SummaryFields(parseResult.GetValue(documentField)!, parseResult.GetValue(summaryField)!);
            var folders = parseResult.GetValue(summaries)!
                .Select(f => (Task: SummarizationCatalog.LoadFolder(f, fields), Kind: FairseqSummaries.IsLayoutOf(f) ? $"fairseq {f}" : $"JSONL {f}")).ToList();
            var exitCode = List(parseResult.GetValue(dataDir));
            ListSummarization(folders);
            return exitCode;
        });
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
            foreach (var name in only.Where(n => !EmbeddedSuite.Contains(n))) TaskCatalog.Spec(name);
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

    /// <summary>Statistics and the lead baseline read at most this many examples per split, so a CNN/DailyMail-sized folder lists in seconds.</summary>
    const int ListedExamples = 10_000;

    static void ListSummarization(IReadOnlyList<(SummarizationTask Task, string Kind)> folders)
    {
        var table = new Table().AddColumns("summarization task", "kind", "train", "dev", "test", "document words (median)", "summary words (median)",
            "summary tokens in document", $"lead-{SummaryBaselines.LeadWords} ROUGE-1/2/L (dev)");
        var tasks = EmbeddedSuite.SummarizationTasks.Select(t => (EmbeddedSuite.Load(t), "embedded"))
            .Concat(folders);
        foreach (var (task, kind) in tasks)
        {
            var stats = SummarizationStatistics.Of([.. task.Train.Take(ListedExamples)]);
            var lead = SummaryBaselines.LeadRouge([.. task.Dev.Take(ListedExamples)]);
            string Count(IReadOnlyList<SummaryExample>? split) => split == null ? "-" : split.Count.ToString("N0", CultureInfo.InvariantCulture);
            table.AddRow(Markup.Escape(task.Name), Markup.Escape(kind), Count(task.Train), Count(task.Dev), Count(task.Test),
                stats.DocumentWords.ToString("F0", CultureInfo.InvariantCulture), stats.SummaryWords.ToString("F0", CultureInfo.InvariantCulture),
                stats.SummaryTokensInDocument.ToString("P0", CultureInfo.InvariantCulture),
                FormattableString.Invariant($"{100 * lead.Rouge1.F1.Mean:F1} / {100 * lead.Rouge2.F1.Mean:F1} / {100 * lead.RougeL.F1.Mean:F1}"));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]Statistics over the first {ListedExamples:N0} train examples, lead baseline over the first {ListedExamples:N0} dev examples; " +
            "summary tokens in document = mean share of a summary's ROUGE tokens (stemmed) found in its document. " +
            "Researchers' folders: --summarization DIR [[--document-field F --summary-field F]] (docs/summarization.md).[/]");
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
