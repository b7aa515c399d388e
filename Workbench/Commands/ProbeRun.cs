using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Training.Data;
using Probing.Training.Infrastructure;
using Probing.Workbench.Runs;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>The generalization probe of a checkpoint as a run: config, manifest, probes.csv, cka.csv, DONE.</summary>
public static class ProbeRun
{
    public const string Kind = "probe";
    public const string ProbesFile = "probes.csv";
    public const string CkaFile = "cka.csv";

    /// <summary>The resolved config, written in config.json beside the probed models' and the tasks' file hashes.</summary>
    public sealed record Config(ProbeSettings Settings, IReadOnlyList<ModelEntry> Models, int RandomSeed, string? CacheDirectory, int BatchSize);

    public sealed record ModelEntry(string Name, string Role);

    /// <summary>Checks every input (the tasks' data, every model folder) and returns the run as a plan; writes nothing.</summary>
    public static RunPlan Plan(string folder, ProbeSettings settings, IReadOnlyList<ProbedModel> models, int randomSeed, string? cacheDirectory, int batchSize)
    {
        foreach (var task in settings.Tasks) TaskCatalog.Load(task, settings.GlueDir);
        var inputs = RunInputs.Tasks(settings.Tasks, settings.GlueDir);
        foreach (var model in models)
            if (model.Source is CheckpointFeatureSource checkpoint)
                inputs = inputs.With(model.Role, RunInputs.Model(checkpoint.Folder.Validate()));
        var config = new Config(settings, [.. models.Select(m => new ModelEntry(m.Source.Name, m.Role))], randomSeed, cacheDirectory, batchSize);
        return new RunPlan(folder, RunIdentity.Of(Kind, config, inputs), "probe", settings.Seeds[0], run =>
        {
            using var store = new FeatureStore(cacheDirectory, batchSize, message => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]"));
            var reference = models.FirstOrDefault(m => m.Role == ProbedModel.BaseRole);
            var results = new GeneralizationProbe(store, ProbeRegistry.Default, Console.WriteLine).Run(models, settings, reference);
            CsvTable.Write(run.File(ProbesFile), results.Probes);
            CsvTable.Write(run.File(CkaFile), results.Cka);
            AnsiConsole.MarkupLine(Markup.Escape($"feature cache: {store.CacheHits} hits, {store.CacheMisses} misses, {store.ForwardPasses} encoder forwards"));
        });
    }

    /// <summary>Runs (or reads back) the plan, then prints its summary from the saved tables.</summary>
    public static void Execute(RunPlan plan, bool forceNew)
    {
        RunFolder.Execute(plan, forceNew, Console.WriteLine);
        var probes = CsvTable.Read<ProbeRow>(Path.Combine(plan.Folder, ProbesFile));
        PrintSummary(probes);
        AnsiConsole.MarkupLine($"results: [bold]{Markup.Escape(Path.Combine(plan.Folder, ProbesFile))}[/] and [bold]{Markup.Escape(Path.Combine(plan.Folder, CkaFile))}[/]");
    }

    /// <summary>Mean dev score over seeds at the deepest probed layer, one column per model.</summary>
    static void PrintSummary(IReadOnlyList<ProbeRow> probes)
    {
        var models = probes.Select(r => (r.Model, r.Role)).Distinct().ToList();
        var table = new Table().AddColumn("task").AddColumn("metric");
        foreach (var model in models) table.AddColumn($"{model.Model} dev");
        foreach (var task in probes.GroupBy(r => r.Task))
        {
            var layer = task.Max(r => r.Layer);
            var cells = models.Select(m => task.Where(r => r.Model == m.Model && r.Role == m.Role && r.Layer == layer).Select(r => r.Dev).DefaultIfEmpty(double.NaN).Average());
            table.AddRow([Markup.Escape(task.Key), task.First().Metric, .. cells.Select(v => FormattableString.Invariant($"{v:F3}"))]);
        }
        AnsiConsole.Write(table);
    }
}
