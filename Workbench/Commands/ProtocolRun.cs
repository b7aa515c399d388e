using System.Text.Json.Serialization;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Training.Checkpoints;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Workbench.Runs;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>
/// Runs a fine-tuning protocol (generalization over methods, chain, retention) inside one run folder:
/// config.json, manifest.json, the per-stage folders, then probes.csv, cka.csv, stages.csv and DONE.
/// An unfinished run with the same config resumes: finished stages are read back, the interrupted
/// one is resumed from its fine-tuning checkpoint.
/// </summary>
public static class ProtocolRun
{
    public const string StagesFile = "stages.csv", CurveFile = CollapseCurve.FileName;

    /// <summary>
    /// The resolved inputs, written as config.json (the base's content hash pins the exact checkpoint). A run
    /// without a collapse curve writes no <c>curve</c> key, so its config reads as it did before the curve existed.
    /// </summary>
    public sealed record Config(
        string Protocol, IReadOnlyList<string> StageTasks, int? Cycles, ProbeSettings Probe,
        IReadOnlyList<FineTuneConfig> Methods, IReadOnlyList<int> Seeds,
        string Base, string BaseHash, int? RandomSeed, string? CacheDirectory, int BatchSize,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CurveSettings? Curve = null);

    public static ProtocolResults Execute(string folder, Config config, ModelFolder baseModel, Func<ProtocolContext, string, ProtocolResults> protocol)
    {
        var run = RunFolder.Start(folder, config);
        var manifest = RunManifest.Begin(config.Protocol, config.Seeds[0], "cpu");
        run.WriteManifest(manifest);
        using var store = new FeatureStore(config.CacheDirectory, config.BatchSize, message => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]"));
        var results = Terminal.ConsoleProgress.Run(config.Protocol, progress =>
            protocol(new ProtocolContext(baseModel, config.Probe, store, ProbeRegistry.Default, null, progress, Console.WriteLine, config.Curve), run.Path));
        CsvTable.Write(run.File(ProbeRun.ProbesFile), results.Probes);
        CsvTable.Write(run.File(ProbeRun.CkaFile), results.Cka);
        CsvTable.Write(run.File(StagesFile), results.Stages);
        if (config.Curve is not null) CsvTable.Write(run.File(CurveFile), results.CurveRows);
        run.WriteManifest(manifest.Finish());
        run.MarkDone();
        PrintSummary(results);
        AnsiConsole.MarkupLine(Markup.Escape($"feature cache: {store.CacheHits} hits, {store.CacheMisses} misses, {store.ForwardPasses} encoder forwards"));
        AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(run.File(ProbeRun.ProbesFile))}[/], {ProbeRun.CkaFile} and {StagesFile}");
        return results;
    }

    /// <summary>Mean probe dev score over seeds at the deepest probed layer: one row per (method, stage), one column per task.</summary>
    static void PrintSummary(ProtocolResults results)
    {
        var tasks = results.Probes.Select(r => r.Task).Distinct().ToList();
        var table = new Table().AddColumn("method").AddColumn("stage");
        foreach (var task in tasks) table.AddColumn($"{task} dev");
        var layer = results.Probes.Count == 0 ? 0 : results.Probes.Max(r => r.Layer);
        foreach (var group in results.Probes.Where(r => r.Layer == layer).GroupBy(r => (r.Method, r.StageIndex, r.Stage)))
        {
            var cells = tasks.Select(t => group.Where(r => r.Task == t).Select(r => r.Dev).DefaultIfEmpty(double.NaN).Average());
            table.AddRow([Markup.Escape(group.Key.Method), Markup.Escape(FormattableString.Invariant($"{group.Key.StageIndex} {group.Key.Stage}")),
                .. cells.Select(v => double.IsNaN(v) ? "" : FormattableString.Invariant($"{v:F3}"))]);
        }
        AnsiConsole.Write(table);
    }
}
