using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Training.Infrastructure;
using Probing.Workbench.Runs;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>Runs the generalization probe inside a run folder: config, manifest, probes.csv, cka.csv, DONE.</summary>
public static class ProbeRun
{
    public const string ProbesFile = "probes.csv";
    public const string CkaFile = "cka.csv";

    /// <summary>The resolved inputs, written as the run's config.json (content hashes pin the exact checkpoints).</summary>
    public sealed record Config(ProbeSettings Settings, IReadOnlyList<ModelEntry> Models, string? CacheDirectory, int BatchSize);

    public sealed record ModelEntry(string Name, string Role, string ContentHash, string? Folder);

    public static ProbeResults Execute(string folder, ProbeSettings settings, IReadOnlyList<ProbedModel> models, string? cacheDirectory, int batchSize)
    {
        var entries = models.Select(m => new ModelEntry(m.Source.Name, m.Role, m.Source.ContentHash, (m.Source as CheckpointFeatureSource)?.Folder.Path)).ToList();
        var run = RunFolder.Start(folder, new Config(settings, entries, cacheDirectory, batchSize));
        var manifest = RunManifest.Begin("probe", settings.Seeds[0], TorchRuntime.DeviceName);
        run.WriteManifest(manifest);
        using var store = new FeatureStore(cacheDirectory, batchSize, message => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]"));
        var reference = models.FirstOrDefault(m => m.Role == ProbedModel.BaseRole);
        var results = new GeneralizationProbe(store, ProbeRegistry.Default, Console.WriteLine).Run(models, settings, reference);
        CsvTable.Write(run.File(ProbesFile), results.Probes);
        CsvTable.Write(run.File(CkaFile), results.Cka);
        run.WriteManifest(manifest.Finish());
        run.MarkDone();
        PrintSummary(results, models);
        AnsiConsole.MarkupLine(Markup.Escape($"feature cache: {store.CacheHits} hits, {store.CacheMisses} misses, {store.ForwardPasses} encoder forwards"));
        AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(run.File(ProbesFile))}[/] and [bold]{Markup.Escape(run.File(CkaFile))}[/]");
        return results;
    }

    /// <summary>Mean dev score over seeds at the deepest probed layer, one column per model.</summary>
    static void PrintSummary(ProbeResults results, IReadOnlyList<ProbedModel> models)
    {
        var table = new Table().AddColumn("task").AddColumn("metric");
        foreach (var model in models) table.AddColumn($"{model.Source.Name} dev");
        foreach (var task in results.Probes.GroupBy(r => r.Task))
        {
            var layer = task.Max(r => r.Layer);
            var cells = models.Select(m => task.Where(r => r.Model == m.Source.Name && r.Role == m.Role && r.Layer == layer).Select(r => r.Dev).DefaultIfEmpty(double.NaN).Average());
            table.AddRow([Markup.Escape(task.Key), task.First().Metric, .. cells.Select(v => FormattableString.Invariant($"{v:F3}"))]);
        }
        AnsiConsole.Write(table);
    }
}
