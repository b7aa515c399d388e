using System.Globalization;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Training.Checkpoints;
using Probing.Training.Data.Embedded;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>How <c>tasks gaps</c> and <c>scaling</c> measure a base against random features.</summary>
public sealed record GapSettings(IReadOnlyList<string> Tasks, IReadOnlyList<int?> TrainLimits, IReadOnlyList<int> Seeds, int MaxLength = 64)
{
    /// <summary>
    /// Every embedded task, with all train data and with 256 examples (where representation quality
    /// shows most), over 3 probe seeds; inputs cut at 64 tokens like the paper studies' probes, so the
    /// studies reuse these features from the cache.
    /// </summary>
    public static GapSettings Default => new([.. EmbeddedSuite.Tasks.Select(t => t.Spec.Name)], [null, 256], [1, 2, 3]);

    public static string LimitText(int? limit) => limit?.ToString(CultureInfo.InvariantCulture) ?? "all";
}

/// <summary>Measures, saves (<see cref="ProbeGapFile"/>) and prints the base − random gaps of a model folder.</summary>
public static class ProbeGapMeasurement
{
    /// <summary>Features come from (and go to) the default feature cache, which the studies share.</summary>
    public static IReadOnlyList<GapRow> Run(ModelFolder model, GapSettings gaps, string output, int batchSize = 64)
    {
        var source = new CheckpointFeatureSource("base", model);
        var settings = new ProbeSettings(gaps.Tasks, LayerSelection.Parse("last"), Pooling.Mean, "linear", gaps.Seeds, MaxLength: gaps.MaxLength);
        using var store = new FeatureStore(Path.GetFullPath(FeatureStore.DefaultCacheDirectory), batchSize, message => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]"));
        var rows = new BaseRandomGap(store, ProbeRegistry.Default, Console.WriteLine).Measure(source, gaps.TrainLimits, settings);
        CsvTable.Write(output, rows);
        return rows;
    }

    public static void Print(IReadOnlyList<GapRow> rows)
    {
        var summaries = GapSummary.Of(rows);
        var limits = summaries.Select(s => s.TrainLimit).Distinct().ToList();
        var table = new Table().AddColumn("task");
        foreach (var limit in limits) table.AddColumn($"base − random, {GapSettings.LimitText(limit)} train (pts)");
        foreach (var task in summaries.GroupBy(s => s.Task))
            table.AddRow([Markup.Escape(task.Key), .. limits.Select(l => task.FirstOrDefault(s => s.TrainLimit == l) is { } s ? Cell(s) : "-")]);
        AnsiConsole.Write(table);
    }

    public static string Cell(GapSummary s)
    {
        var text = FormattableString.Invariant($"{s.Gap:+0.0;-0.0} ± {s.GapSd:0.0}");
        return s.Discriminates ? text : $"[red]{text} (< {GapSummary.DiscriminatingGap:0} pts)[/]";
    }
}
