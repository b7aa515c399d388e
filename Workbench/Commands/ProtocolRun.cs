using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.Data.Summarization;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Workbench.Runs;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>
/// A fine-tuning protocol (generalization over methods, chain, retention) as one run: config.json,
/// manifest.json, the per-stage folders, then probes.csv, cka.csv, stages.csv and DONE. An unfinished
/// run of the same identity resumes: finished stages are read back, the interrupted one is resumed
/// from its fine-tuning checkpoint; a finished one is read back.
/// </summary>
public static class ProtocolRun
{
    public const string StagesFile = "stages.csv", CurveFile = CollapseCurve.FileName;

    /// <summary>
    /// The resolved config, written in config.json beside the base model's and the tasks' file hashes. A run
    /// without a collapse curve writes no <c>curve</c> key, so its config (and identity) reads as before the curve existed.
    /// A protocol that fine-tunes a generator on a summarization task (<see cref="Seq2SeqGeneralization"/>) has its
    /// configs in <see cref="Seq2SeqMethods"/> (and none in <see cref="Methods"/>); other runs write no such key.
    /// </summary>
    public sealed record Config(
        string Protocol, IReadOnlyList<string> StageTasks, int? Cycles, ProbeSettings Probe,
        IReadOnlyList<FineTuneConfig> Methods, IReadOnlyList<int> Seeds, int? RandomSeed, string? CacheDirectory, int BatchSize,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CurveSettings? Curve = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonPropertyName(Seq2SeqMethodsKey)] IReadOnlyList<Seq2SeqFineTuneConfig>? Seq2SeqMethods = null);

    public const string Seq2SeqMethodsKey = "seq2seq_methods";

    /// <summary>
    /// Checks every input (every task's data, the base model folder, each method's config against the
    /// stage tasks) and returns the run as a plan; writes nothing.
    /// </summary>
    public static RunPlan Plan(string folder, Config config, ModelFolder baseModel, Func<ProtocolContext, string, ProtocolResults> protocol)
    {
        baseModel.Validate();
        // A generator's stage tasks are summarization tasks, checked and hashed by the caller's plan (summaries).
        var names = (config.Seq2SeqMethods is null ? config.StageTasks : []).Concat(config.Probe.Tasks).Distinct().ToList();
        var tasks = names.ToDictionary(name => name, name => TaskCatalog.Load(name, config.Probe.GlueDir));
        foreach (var method in config.Methods)
            foreach (var stage in config.StageTasks)
                FineTuner.Check(method with { Task = tasks[stage].Spec.Name }, tasks[stage]);
        var inputs = RunInputs.Tasks(names, config.Probe.GlueDir).With("base", RunInputs.Model(baseModel));
        foreach (var summarization in config.Seq2SeqMethods is null ? [] : config.StageTasks)
        {
            var (root, files) = SummarizationCatalog.SourceFiles(summarization);
            inputs = inputs.With("summaries", InputFiles.Of(root, files));
        }
        var identity = RunIdentity.Of(config.Protocol, config, inputs);
        return new RunPlan(folder, identity, config.Protocol, config.Seeds[0], run =>
        {
            using var store = new FeatureStore(config.CacheDirectory, config.BatchSize, message => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]"));
            var results = Terminal.ConsoleProgress.Run(config.Protocol, progress =>
                protocol(new ProtocolContext(baseModel, config.Probe, store, ProbeRegistry.Default,
                    name => tasks.TryGetValue(name, out var data) ? data : TaskCatalog.Load(name, config.Probe.GlueDir), progress, Console.WriteLine, config.Curve), run.Path));
            CsvTable.Write(run.File(ProbeRun.ProbesFile), results.Probes);
            CsvTable.Write(run.File(ProbeRun.CkaFile), results.Cka);
            CsvTable.Write(run.File(StagesFile), results.Stages);
            if (config.Curve is not null) CsvTable.Write(run.File(CurveFile), results.CurveRows);
            AnsiConsole.MarkupLine(Markup.Escape($"feature cache: {store.CacheHits} hits, {store.CacheMisses} misses, {store.ForwardPasses} encoder forwards"));
        });
    }

    /// <summary>Runs (or resumes, or reads back) the plan, then prints its summary from the saved tables.</summary>
    public static ProtocolResults Execute(RunPlan plan, bool forceNew)
    {
        RunFolder.Execute(plan, forceNew, Console.WriteLine);
        var results = ReadFinished(plan.Folder);
        PrintSummary(results);
        AnsiConsole.MarkupLine($"results: [bold]{Markup.Escape(Path.Combine(plan.Folder, ProbeRun.ProbesFile))}[/], {ProbeRun.CkaFile} and {StagesFile}");
        return results;
    }

    public static ProtocolResults ReadFinished(string folder) => new(
        CsvTable.Read<ProbeRow>(Path.Combine(folder, ProbeRun.ProbesFile)),
        CsvTable.Read<CkaRow>(Path.Combine(folder, ProbeRun.CkaFile)),
        CsvTable.Read<StageRow>(Path.Combine(folder, StagesFile)),
        File.Exists(Path.Combine(folder, CurveFile)) ? CsvTable.Read<CurveRow>(Path.Combine(folder, CurveFile)) : null);

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
