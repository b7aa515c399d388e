using System.CommandLine;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Training.Data;
using Probing.Training.Infrastructure;
using Probing.Training.Model;

namespace Probing.Workbench.Commands;

/// <summary>
/// The probing options that <c>probe</c>, <c>chain</c> and <c>retention</c> share (<c>--model</c>,
/// <c>--layers</c>, <c>--pooling</c>, <c>--probe</c>, <c>--train-limit</c>, <c>--max-length</c>,
/// <c>--batch-size</c>, <c>--controls</c>, <c>--mdl</c>, <c>--cache-dir</c>, <c>--no-cache</c>, <c>--data-dir</c>),
/// declared once so that they read the same everywhere.
/// </summary>
public sealed class ProbeOptions
{
    public Option<string?> Model { get; } = CommonOptions.Model();
    public Option<string> Layers { get; } = new("--layers") { Description = "all, last, or a layer index (0 = embeddings)", DefaultValueFactory = _ => "last" };
    /// <summary>Mean by default: a base pretrained with masked LM alone never trains its [CLS] vector, so [CLS] probes of the base read little.</summary>
    public Option<string> Pooling { get; } = new("--pooling") { Description = "mean (default) or cls", DefaultValueFactory = _ => "mean" };
    public Option<string> Probe { get; } = new("--probe") { Description = $"Probe: {string.Join(", ", ProbeRegistry.Default.Names)}", DefaultValueFactory = _ => "linear" };
    public Option<int?> TrainLimit { get; } = new("--train-limit") { Description = "Train examples per task and seed (limited-data probe, e.g. 256); default: all" };
    public Option<int> MaxLength { get; } = new("--max-length") { Description = "Tokens per input", DefaultValueFactory = _ => 128 };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Texts per encoder forward", DefaultValueFactory = _ => 64 };
    public Option<bool> Controls { get; } = new("--controls") { Description = "Also fit on control tasks and report selectivity", DefaultValueFactory = _ => true };
    public Option<bool> Mdl { get; } = new("--mdl") { Description = "Also measure the online code length (MDL, Voita & Titov 2020) of the probe's train labels and of the control labels: online_bits, uniform_bits, compression, control_compression" };
    public Option<string?> CacheDir { get; } = new("--cache-dir") { Description = "Feature cache (default <repo>/.cache/features)" };
    public Option<bool> NoCache { get; } = new("--no-cache") { Description = "Neither read nor write the feature cache" };
    public Option<string?> DataDir { get; } = new TaskOptions().DataDir;

    public ProbeOptions() => Pooling.AcceptOnlyFromAmong("cls", "mean");

    public ProbeOptions AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, Layers, Pooling, Probe, TrainLimit, MaxLength, BatchSize, Controls, Mdl, CacheDir, NoCache, DataDir })
            command.Options.Add(option);
        return this;
    }

    /// <summary>The probe settings for <paramref name="tasks"/> and <paramref name="seeds"/>, checked (probe name, task names, train limit).</summary>
    public ProbeSettings Settings(ParseResult parse, IReadOnlyList<string> tasks, IReadOnlyList<int> seeds)
    {
        var settings = new ProbeSettings(tasks, LayerSelection.Parse(parse.GetValue(Layers)!),
            parse.GetValue(Pooling) == "mean" ? Training.Model.Pooling.Mean : Training.Model.Pooling.Cls,
            parse.GetValue(Probe)!, seeds, parse.GetValue(TrainLimit), parse.GetValue(MaxLength),
            parse.GetValue(Controls), GlueDir: parse.GetValue(DataDir), Mdl: parse.GetValue(Mdl));
        if (ProbeRegistry.Default.Create(settings.Probe) is not ILabelCoder && settings.Mdl)
            throw new InputError($"--mdl: the {settings.Probe} probe gives no label probabilities for the online code; use --probe linear");
        foreach (var task in settings.Tasks) TaskCatalog.Spec(task);
        if (settings.TrainLimit is < 2) throw new InputError($"--train-limit {settings.TrainLimit}: expected at least 2");
        if (settings.MaxLength < 3) throw new InputError($"--max-length {settings.MaxLength}: expected at least 3");
        return settings;
    }

    /// <summary>The absolute cache folder, or null with --no-cache.</summary>
    public string? Cache(ParseResult parse) =>
        parse.GetValue(NoCache) ? null : Path.GetFullPath(parse.GetValue(CacheDir) ?? FeatureStore.DefaultCacheDirectory);

    /// <summary>Task lists may be given space- or comma-separated.</summary>
    public static string[] SplitList(IEnumerable<string> values) =>
        [.. values.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
