using System.CommandLine;
using System.Globalization;
using Probing.Probing.Features;
using Probing.Probing.Protocols;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Pretraining;
using Probing.Workbench.Reporting;
using Probing.Workbench.Runs;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>
/// <c>workbench scaling</c>: pretrains every (size, budget) cell of <see cref="ScalingGrid"/> (each a
/// resumable pretraining run), measures its base − random probe gaps, and rewrites
/// docs/base-encoder.md after every cell, so an interrupted sweep still leaves a true table.
/// </summary>
public static class ScalingCommand
{
    public static Command Create()
    {
        var sizes = new Option<string[]>("--sizes")
        {
            Description = $"Model sizes (default: {string.Join(" ", ScalingGrid.Sizes.Select(s => s.Name))})",
            AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [.. ScalingGrid.Sizes.Select(s => s.Name)],
        };
        var budgets = new Option<int[]>("--budgets")
        {
            Description = $"Pretraining budgets in minutes of 2-core CPU (default: {string.Join(" ", ScalingGrid.BudgetMinutes)})",
            AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [.. ScalingGrid.BudgetMinutes],
        };
        var output = new Option<string>("--out") { Description = "Folder of the cells' pretraining runs", DefaultValueFactory = _ => Path.Combine("results", "scaling") };
        var doc = new Option<string>("--doc") { Description = "The Markdown table to write", DefaultValueFactory = _ => Path.Combine(Path.GetDirectoryName(ProjectPaths.DataDir)!, "docs", "base-encoder.md") };
        var reportOnly = new Option<bool>("--report-only") { Description = "Train nothing: rewrite the table from the finished cells" };
        var skipGaps = new Option<bool>("--skip-gaps") { Description = "Pretrain only; measure the probe gaps in a later run (they cost about as much CPU as a 15-minute cell)" };
        var forceNew = CommonOptions.ForceNew();
        var command = new Command("scaling", "Pretrain each model size × CPU budget, measure masked-LM accuracy and base − random probe gaps, write docs/base-encoder.md (resumable; cheapest cells first)")
        {
            sizes, budgets, output, doc, reportOnly, skipGaps, forceNew,
        };
        command.SetAction(parse =>
        {
            IReadOnlyList<int> budgetList = parse.GetValue(budgets)!;
            if (budgetList.Any(b => b <= 0)) throw new InputError("--budgets: expected positive minutes");
            var sizeList = ProbeOptions.SplitList(parse.GetValue(sizes)!).Select(ScalingGrid.Size).ToList();
            // Cheapest first, so an interrupted sweep has filled the small cells.
            var requested = Cells(sizeList, budgetList).OrderBy(c => c.BudgetMinutes * c.Size.ReferenceStepSeconds).ToList();
            // The table always shows the whole default grid (cells not run say so) plus any extra cell asked for.
            var table = Cells(ScalingGrid.Sizes.Union(sizeList), ScalingGrid.BudgetMinutes.Union(budgetList));
            var root = parse.GetValue(output)!;
            // Every cell's run is planned and its folder checked before any cell trains.
            var plans = requested.ToDictionary(c => c, c => BasePretraining.Plan(c.Config, Path.Combine(root, c.Name), "scaling"));
            if (!parse.GetValue(reportOnly))
                foreach (var (cell, plan) in plans)
                    if (!ScalingResult.IsLegacyFinished(plan.Folder, cell)) RunFolder.Check(plan.Folder, plan.Identity, parse.GetValue(forceNew));
            CommonOptions.ApplyRuntime(parse);
            var gaps = GapSettings.Default;
            void Report()
            {
                var path = parse.GetValue(doc)!;
                var results = table.Select(c => ScalingResult.TryRead(root, c)).ToList();
                foreach (var (name, plot) in BaseEncoderReport.Curves(table, results, gaps))
                    ChartStyle.Save(plot, Path.GetDirectoryName(Path.GetFullPath(path))!, name);
                AtomicFile.WriteAllText(path, BaseEncoderReport.Markdown(table, results, gaps));
            }
            if (!parse.GetValue(reportOnly))
                foreach (var cell in requested)
                {
                    AnsiConsole.MarkupLine($"[bold]{cell.Name}[/]: {cell.Steps:N0} steps");
                    var folder = Path.Combine(root, cell.Name);
                    if (!ScalingResult.IsLegacyFinished(folder, cell)) BasePretraining.Run(plans[cell], parse.GetValue(forceNew));
                    var model = ModelFolder.Resolve(Path.Combine(folder, PretrainingPipeline.ModelSubfolder));
                    if (!parse.GetValue(skipGaps) && ProbeGapFile.TryRead(model) is null)
                        ProbeGapMeasurement.Run(model, gaps, ProbeGapFile.PathIn(model.Path));
                    Report();
                }
            Report();
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(parse.GetValue(doc)!)}[/]");
            return 0;
        });
        return command;
    }

    /// <summary>Every size × budget, by size (in the order given), then budget.</summary>
    static List<ScalingCell> Cells(IEnumerable<ModelSize> sizes, IEnumerable<int> budgets) =>
        [.. from size in sizes from budget in budgets.Order() select new ScalingCell(size, budget)];
}

/// <summary>
/// What a finished cell measured: its pretraining outcome, parameter count and probe gaps, and the thread
/// counts it was trained with (one per change, in order: a cell resumed on other threads lists both; null: 2).
/// </summary>
public sealed record ScalingResult(PretrainingOutcome Pretraining, long Parameters, IReadOnlyList<GapSummary> Gaps, IReadOnlyList<int>? Threads = null)
{
    public static ScalingResult? TryRead(string root, ScalingCell cell)
    {
        var folder = Path.Combine(root, cell.Name);
        if (!RunFolder.IsFinished(folder, BasePretraining.Plan(cell.Config, folder, "scaling").Identity) && !IsLegacyFinished(folder, cell)) return null;
        var modelDirectory = Path.Combine(folder, PretrainingPipeline.ModelSubfolder);
        var model = ModelFolder.Resolve(modelDirectory);
        var gaps = ProbeGapFile.TryRead(model);
        var threads = Json.Read<RunManifest>(Path.Combine(folder, RunFolder.ManifestFile)).ThreadHistory();
        return new ScalingResult(BasePretraining.ReadFinished(folder), EncoderParameters(model), gaps is null ? [] : GapSummary.Of(gaps), threads);
    }

    /// <summary>
    /// A cell finished before run identities were recorded: its config.json is exactly the cell's config
    /// record (what was checked then). Such cells took hours; they are read back rather than redone.
    /// </summary>
    public static bool IsLegacyFinished(string folder, ScalingCell cell)
    {
        var config = Path.Combine(folder, RunFolder.ConfigFile);
        return RunFolder.IsFinished(folder) && File.Exists(config) && File.ReadAllText(config) == Json.Serialize(cell.Config) + "\n";
    }

    static long EncoderParameters(ModelFolder model)
    {
        using var encoder = model.LoadEncoder();
        return encoder.parameters().Sum(p => p.numel());
    }

    public static string Millions(long count) => (count / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " M";
}
