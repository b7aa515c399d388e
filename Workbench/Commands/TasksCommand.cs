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
using Probing.Workbench.Reporting;
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
        var format = new Option<string>("--format")
        {
            Description = "table (for a terminal, fits 100 columns), csv (the classification tasks, one row each) or json (classification and summarization tasks)",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("tasks", "List every task: sizes, label distribution, majority baseline, and which task stands in for which GLUE task; then the summarization tasks")
        {
            dataDir, summaries, documentField, summaryField, format,
        };
        command.SetAction(parseResult =>
        {
            // Researchers' folders are read first, so a bad one fails before any table is printed.
            var fields = new SummaryFields(parseResult.GetValue(documentField)!, parseResult.GetValue(summaryField)!);
            var folders = parseResult.GetValue(summaries)!
                .Select(f => (Task: SummarizationCatalog.LoadFolder(f, fields), Kind: FairseqSummaries.IsLayoutOf(f) ? $"fairseq {f}" : $"JSONL {f}")).ToList();
            var glueDir = parseResult.GetValue(dataDir);
            var (listing, survey) = Listing(glueDir);
            var problems = survey?.Broken.Select(b => b.Problem).Distinct().ToList() ?? [];
            switch (parseResult.GetValue(format))
            {
                case "csv":
                    Console.Out.Write(listing.ToCsv());
                    break;
                case "json":
                    Console.Out.WriteLine(new System.Text.Json.Nodes.JsonObject { ["tasks"] = listing.ToJson(), ["summarization"] = SummarizationJson(folders) }
                        .ToJsonString(Json.Options));
                    break;
                default:
                    PrintTable(listing, glueDir, survey);
                    ListSummarization(folders);
                    break;
            }
            foreach (var problem in problems) Console.Error.WriteLine($"error: {problem}");
            return problems.Count > 0 ? Cli.BadInputExitCode : 0;
        });
        command.Subcommands.Add(BuildCommand());
        command.Subcommands.Add(BaselinesCommand());
        command.Subcommands.Add(GapsCommand());
        return command.RunsNoTorch();
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
        return command.RunsNoTorch();
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
        return command.RunsNoTorch();
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

    /// <summary>Every task as rows; a broken GLUE task is left out and reported by the caller (file:line: problem) after the others are listed, with exit code 2.</summary>
    static (TaskListing Listing, GlueReader.Survey? Survey) Listing(string? glueDir)
    {
        var survey = glueDir is null ? null : GlueReader.ReadPresent(glueDir);
        var gaps = ShippedBaseGaps();
        var listing = new TaskListing([.. gaps.Select(s => s.TrainLimit).Distinct()]);
        foreach (var task in EmbeddedSuite.Tasks) listing.Add(EmbeddedSuite.Load(task), Kind(task), task.StandsInFor ?? "", gaps);
        foreach (var read in survey?.Read ?? [])
        {
            var skipped = read.SkippedLines.Values.Sum();
            listing.Add(read.Data, "GLUE", "", []);
        }
        return (listing, survey);
    }

    /// <summary>Short headers and a legend, so that the table reads on a 100-column terminal.</summary>
    static void PrintTable(TaskListing listing, string? glueDir, GlueReader.Survey? survey)
    {
        var headers = new Dictionary<string, string>
        {
            ["stands_in_for"] = "for", ["labels"] = "labels", ["majority_dev"] = "maj.",
        };
        // The test split's size is in the CSV/JSON: the table keeps to 100 columns.
        var shown = listing.Columns.Where(c => c != "test").ToList();
        var table = new Table().Border(TableBorder.Minimal);
        foreach (var column in shown)
            table.AddColumn(new TableColumn(Markup.Escape(column.StartsWith("gap_", StringComparison.Ordinal) ? "Δ " + column[4..] : headers.GetValueOrDefault(column, column)))
            { NoWrap = true, Padding = new Padding(0, 0, 0, 0), Alignment = column is "train" or "dev" or "test" or "majority_dev" || column.StartsWith("gap_", StringComparison.Ordinal) ? Justify.Right : Justify.Left });
        var gaps = ShippedBaseGaps();
        foreach (var row in listing.Rows)
            table.AddRow([.. shown.Select(column => column switch
            {
                _ when row[column] is null => "-",
                "train" or "dev" or "test" => ((int)row[column]!).ToString("N0", CultureInfo.InvariantCulture),
                "majority_dev" => ((double)row[column]!).ToString("F2", CultureInfo.InvariantCulture),
                // The shares are in the CSV/JSON; the table says how many labels and the largest share.
                "labels" when row[column] is string shares && shares != "regression" =>
                    FormattableString.Invariant($"{shares.Split(' ').Length / 2} · {shares.Split(' ').Where((_, i) => i % 2 == 1).Max(p => double.Parse(p.TrimEnd('%'), CultureInfo.InvariantCulture))}%"),
                _ when column.StartsWith("gap_", StringComparison.Ordinal) =>
                    gaps.First(s => s.Task == (string)row[TaskListing.TaskColumn]! && TaskListing.GapColumn(s.TrainLimit) == column) is var s && s.Discriminates
                        ? FormattableString.Invariant($"{s.Gap:+0.0;-0.0}±{s.GapSd:0.0}") : FormattableString.Invariant($"[red]{s.Gap:+0.0;-0.0}±{s.GapSd:0.0}[/]"),
                _ => Markup.Escape(TaskListing.Format(row[column])),
            })]);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]for: the GLUE task it stands in for; labels: how many · the largest one's share of train; maj.: majority baseline (dev); --format csv|json for scripts (with every label's share).[/]");
        AnsiConsole.MarkupLine(gaps.Count == 0
            ? $"[grey]No base − random gaps measured on the shipped base yet: `workbench tasks gaps` writes them.[/]"
            : $"[grey]Δ all / Δ 256: base − random, a linear probe on the shipped base's last layer minus one on a random encoder of its shape, trained on all / 256 examples (dev points, mean ± sd over probe seeds). Tasks under {GapSummary.DiscriminatingGap:0} pts in every setting (red) are left out of the default probe.[/]");
        foreach (var read in survey?.Read.Where(r => r.SkippedLines.Values.Sum() > 0) ?? [])
            AnsiConsole.MarkupLine("[grey]" + Markup.Escape($"{read.Data.Spec.Name}: {read.SkippedLines.Values.Sum()} incomplete lines skipped (as the reference loaders do).") + "[/]");
        if (glueDir == null) AnsiConsole.MarkupLine("[grey]GLUE tasks (cola, sst2, mrpc, stsb, qqp, mnli, mnli-mm, qnli, rte, wnli) are listed with --data-dir.[/]");
        else if (survey!.Absent.Count > 0)
            AnsiConsole.MarkupLine("[grey]" + Markup.Escape($"GLUE tasks whose folder is not in {glueDir}: {string.Join(", ", survey.Absent.Select(f => $"{f.Spec.Name} ({f.Folder}/)"))}") + "[/]");
    }

    static System.Text.Json.Nodes.JsonArray SummarizationJson(IReadOnlyList<(SummarizationTask Task, string Kind)> folders) =>
    [
        .. EmbeddedSuite.SummarizationTasks.Select(t => (EmbeddedSuite.Load(t), "embedded")).Concat(folders).Select(entry =>
        {
            var (task, kind) = entry;
            var stats = SummarizationStatistics.Of([.. task.Train.Take(ListedExamples)]);
            return (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
            {
                ["task"] = task.Name, ["kind"] = kind, ["train"] = task.Train.Count, ["dev"] = task.Dev.Count, ["test"] = task.Test?.Count,
                ["document_words_median"] = stats.DocumentWords, ["summary_words_median"] = stats.SummaryWords,
                ["summary_tokens_in_document"] = Math.Round(stats.SummaryTokensInDocument, 4),
            };
        }),
    ];

    /// <summary>Statistics and the lead baseline read at most this many examples per split, so a CNN/DailyMail-sized folder lists in seconds.</summary>
    const int ListedExamples = 10_000;

    static void ListSummarization(IReadOnlyList<(SummarizationTask Task, string Kind)> folders)
    {
        var table = new Table().Border(TableBorder.Minimal);
        foreach (var header in new[] { "summarization", "kind", "train", "dev", "test", "doc words", "sum words", "sum in doc", $"lead-{SummaryBaselines.LeadWords} R-1/2/L" })
            table.AddColumn(new TableColumn(header) { NoWrap = true, Padding = new Padding(0, 0, 0, 0) });
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
        AnsiConsole.MarkupLine($"[grey]Medians of document and summary words over the first {ListedExamples:N0} train examples, lead baseline (dev ROUGE-1/2/L F1) over the first {ListedExamples:N0} dev examples; " +
            "sum in doc = mean share of a summary's ROUGE tokens (stemmed) found in its document. " +
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

}
