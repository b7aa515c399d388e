using System.CommandLine;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.Data.Embedded;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Workbench.Runs;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>
/// <c>workbench probe [checkpoint]</c>: frozen-feature probes of a checkpoint on other tasks, beside
/// the pretrained base (upper reference) and a random encoder of the same shape (lower reference).
/// </summary>
public static class ProbeCommand
{
    /// <summary>The generalization tasks: every embedded task except the one fine-tuning uses (the SST-2 stand-in).</summary>
    public static IReadOnlyList<string> DefaultTasks =>
        [.. EmbeddedSuite.Tasks.Where(t => t.StandsInFor != "SST-2").Select(t => t.Spec.Name)];

    public static Command Create()
    {
        var checkpoint = new Argument<string?>("checkpoint")
        {
            Description = "A model folder, or a fine-tuning run folder (its best/ is probed); omit to probe only the base and the random reference",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var model = CommonOptions.Model();
        var tasks = new Option<string[]>("--tasks")
        {
            Description = "Tasks to probe (default: every embedded task except the SST-2 stand-in)",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [.. DefaultTasks],
        };
        var layers = new Option<string>("--layers") { Description = "all, last, or a layer index (0 = embeddings)", DefaultValueFactory = _ => "last" };
        var pooling = new Option<string>("--pooling") { Description = "cls or mean", DefaultValueFactory = _ => "cls" };
        pooling.AcceptOnlyFromAmong("cls", "mean");
        var probe = new Option<string>("--probe") { Description = $"Probe: {string.Join(", ", ProbeRegistry.Default.Names)}", DefaultValueFactory = _ => "linear" };
        var seeds = new Option<int[]>("--seeds") { Description = "Probe seeds (train subsample and initialisation)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [1] };
        var trainLimit = new Option<int?>("--train-limit") { Description = "Train examples per task and seed (limited-data probe, e.g. 256); default: all" };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per input", DefaultValueFactory = _ => 128 };
        var batchSize = new Option<int>("--batch-size") { Description = "Texts per encoder forward", DefaultValueFactory = _ => 64 };
        var controls = new Option<bool>("--controls") { Description = "Also fit on control tasks and report selectivity", DefaultValueFactory = _ => true };
        var randomSeed = new Option<int>("--random-seed") { Description = "Seed of the randomly initialised reference encoder", DefaultValueFactory = _ => 1 };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Feature cache (default <repo>/.cache/features)" };
        var noCache = new Option<bool>("--no-cache") { Description = "Neither read nor write the feature cache" };
        var dataDir = new TaskOptions().DataDir;
        var output = CommonOptions.Output("the probe results (default results/probe/<model>-<pooling>-<probe>-<layers>)");
        var command = new Command("probe", "Probe frozen features of a checkpoint, the base and a random encoder on other tasks; writes probes.csv and cka.csv")
        {
            checkpoint, model, tasks, layers, pooling, probe, seeds, trainLimit, maxLength, batchSize, controls, randomSeed, cacheDir, noCache, dataDir, output,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var settings = new ProbeSettings(
                [.. parse.GetValue(tasks)!.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                LayerSelection.Parse(parse.GetValue(layers)!),
                parse.GetValue(pooling) == "mean" ? Pooling.Mean : Pooling.Cls,
                parse.GetValue(probe)!, parse.GetValue(seeds)!, parse.GetValue(trainLimit), parse.GetValue(maxLength),
                parse.GetValue(controls), GlueDir: parse.GetValue(dataDir));
            ProbeRegistry.Default.Create(settings.Probe);
            foreach (var task in settings.Tasks) TaskCatalog.Spec(task);
            if (settings.TrainLimit is < 2) throw new InputError($"--train-limit {settings.TrainLimit}: expected at least 2");

            var models = ProbedModels(parse.GetValue(checkpoint), parse.GetValue(model), parse.GetValue(randomSeed));
            var name = models[0].Role == ProbedModel.CheckpointRole ? models[0].Source.Name : "base";
            var folder = parse.GetValue(output) ?? Path.Combine("results", "probe",
                $"{name}-{parse.GetValue(pooling)}-{settings.Probe}-{settings.Layers.Text}" + (settings.TrainLimit is { } n ? $"-n{n}" : ""));
            var cache = parse.GetValue(noCache) ? null : Path.GetFullPath(parse.GetValue(cacheDir) ?? FeatureStore.DefaultCacheDirectory);
            ProbeRun.Execute(folder, settings, models, cache, parse.GetValue(batchSize));
            return 0;
        });
        return command;
    }

    /// <summary>The checkpoint (if any), the base and the random reference, in that order.</summary>
    static IReadOnlyList<ProbedModel> ProbedModels(string? checkpoint, string? baseDirectory, int randomSeed)
    {
        var baseModel = new ProbedModel(ProbedModel.BaseRole, new CheckpointFeatureSource("base", ModelFolder.Resolve(baseDirectory)));
        var models = new List<ProbedModel>();
        if (checkpoint is not null)
        {
            var runBest = Path.Combine(checkpoint, "best");
            var folder = ModelFolder.Resolve(File.Exists(Path.Combine(runBest, EncoderCheckpoint.WeightsFile)) ? runBest : checkpoint);
            var label = Path.GetFileName(folder.Path) is "best" or "last" ? Path.GetFileName(Path.GetDirectoryName(folder.Path))! : Path.GetFileName(folder.Path);
            models.Add(new ProbedModel(ProbedModel.CheckpointRole, new CheckpointFeatureSource(label, folder)));
        }
        models.Add(baseModel);
        models.Add(new ProbedModel(ProbedModel.RandomRole, new RandomEncoderSource(baseModel.Source, randomSeed)));
        return models;
    }
}
