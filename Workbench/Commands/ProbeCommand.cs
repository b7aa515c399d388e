using System.CommandLine;
using Probing.Probing.Features;
using Probing.Probing.Protocols;
using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.Data.Embedded;
using Probing.Training.Data.Summarization;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Commands;

/// <summary>
/// <c>workbench probe [checkpoint]</c>: frozen-feature probes of a checkpoint on other tasks, beside
/// the pretrained base (upper reference) and a random encoder of the same shape (lower reference).
/// <c>workbench probe --methods … --seeds …</c>: the generalization protocol — fine-tune the base on
/// <c>--task</c> with each method and seed, then probe each fine-tuned encoder the same way
/// (<see cref="MethodGeneralization"/>).
/// </summary>
public static class ProbeCommand
{
    /// <summary>The generalization tasks: every embedded task except the one fine-tuning uses (the SST-2 stand-in).</summary>
    public static IReadOnlyList<string> DefaultTasks => DefaultTasksFor(MethodGeneralization.DefaultTask, null);

    /// <summary>
    /// Every embedded task but the fine-tuning task, less those on which the base barely beats random
    /// features (its saved <see cref="ProbeGapFile"/>): a probe there measures nothing the base had.
    /// </summary>
    public static IReadOnlyList<string> DefaultTasksFor(string task, string? baseDirectory)
    {
        var folder = ModelFolder.Resolve(baseDirectory);
        var weak = ProbeGapFile.NonDiscriminating(ProbeGapFile.TryRead(folder));
        return [.. EmbeddedSuite.Tasks.Select(t => t.Spec.Name).Where(name => !TaskCatalog.SameName(name, task) && !weak.Contains(name))];
    }

    public static Command Create()
    {
        var checkpoint = new Argument<string?>("checkpoint")
        {
            Description = "A model folder, or a fine-tuning run folder (its best/ is probed); omit to probe only the base and the random reference",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var probeOptions = new ProbeOptions();
        var protocolOptions = new ProtocolOptions(required: false);
        var tasks = new Option<string[]>("--tasks")
        {
            Description = "Tasks to probe (default: every embedded task except the fine-tuning task, the SST-2 stand-in fine-foods, and those the base beats random features on by < 2 pts; see `tasks`)",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [],
        };
        var fineTuneTask = new Option<string>("--task")
        {
            Description = $"With --methods: the task to fine-tune on (default {MethodGeneralization.DefaultTask}, the SST-2 stand-in)",
            DefaultValueFactory = _ => MethodGeneralization.DefaultTask,
        };
        var randomSeed = new Option<int>("--random-seed") { Description = "Seed of the randomly initialised reference encoder", DefaultValueFactory = _ => 1 };
        var output = CommonOptions.Output("the probe results (default results/probe/<model>-<pooling>-<probe>-<layers>, with --methods results/probe/generalization-<task>-<methods>-<setting>-…)");
        var forceNew = CommonOptions.ForceNew();
        var command = new Command("probe", "Probe frozen features of a checkpoint (or, with --methods, of fine-tuned encoders per method and seed), the base and a random encoder on other tasks; writes probes.csv and cka.csv (and stages.csv)")
        {
            checkpoint, tasks, fineTuneTask, randomSeed, output, forceNew,
        };
        probeOptions.AddTo(command);
        protocolOptions.AddTo(command);
        command.SetPlanner(parse =>
        {
            var task = parse.GetValue(fineTuneTask)!;
            var probed = ProbeOptions.SplitList(parse.GetValue(tasks)!);
            IReadOnlyList<string> taskList = probed.Length > 0 ? probed : DefaultTasksFor(task, parse.GetValue(probeOptions.Model));
            var seeds = protocolOptions.RunSeeds(parse);
            var settings = probeOptions.Settings(parse, taskList, seeds);
            if (protocolOptions.HasMethods(parse))
            {
                if (parse.GetValue(checkpoint) is { } given)
                    throw new InputError($"probe {given} --methods: give either a checkpoint to probe or --methods to fine-tune, not both");
                var protocolPlan = PlanProtocol(parse, settings, task, probeOptions, protocolOptions, parse.GetValue(randomSeed), output);
                return new CommandPlan([protocolPlan], () =>
                {
                    CommonOptions.ApplyRuntime(parse);
                    ProtocolRun.Execute(protocolPlan, parse.GetValue(forceNew));
                    return 0;
                });
            }
            if (protocolOptions.Curve(parse, taskList) is not null)
                throw new InputError("--curve-every: the collapse curve watches fine-tuning; give --methods");
            var models = ProbedModels(parse.GetValue(checkpoint), parse.GetValue(probeOptions.Model), parse.GetValue(randomSeed));
            var name = models[0].Role == ProbedModel.CheckpointRole ? models[0].Source.Name : "base";
            var folder = parse.GetValue(output) ?? Path.Combine("results", "probe",
                $"{name}-{parse.GetValue(probeOptions.Pooling)}-{settings.Probe}-{settings.Layers.Text}" + (settings.TrainLimit is { } n ? $"-n{n}" : ""));
            var plan = ProbeRun.Plan(folder, settings, models, parse.GetValue(randomSeed), probeOptions.Cache(parse), parse.GetValue(probeOptions.BatchSize));
            return new CommandPlan([plan], () =>
            {
                CommonOptions.ApplyRuntime(parse);
                ProbeRun.Execute(plan, parse.GetValue(forceNew));
                return 0;
            });
        });
        return command;
    }

    static Runs.RunPlan PlanProtocol(ParseResult parse, ProbeSettings settings, string task, ProbeOptions probeOptions, ProtocolOptions protocolOptions, int randomSeed, Option<string?> output)
    {
        if (SummarizationCatalog.IsSummarization(task)) return PlanSeq2SeqProtocol(parse, settings, task, probeOptions, protocolOptions, randomSeed, output);
        TaskCatalog.Spec(task);
        var methods = protocolOptions.Configs(parse, settings.MaxLength);
        var baseModel = ModelFolder.Resolve(parse.GetValue(probeOptions.Model));
        var kinds = methods.Select(m => Training.Regularizers.MethodRegistry.KindOf(m.Method)).ToList();
        var folder = parse.GetValue(output) ?? Path.Combine("results", "probe",
            $"generalization-{task}-{string.Join("+", kinds)}-{parse.GetValue(protocolOptions.Setting)}-{parse.GetValue(probeOptions.Pooling)}-{settings.Probe}-{settings.Layers.Text}"
            + (settings.TrainLimit is { } n ? FormattableString.Invariant($"-n{n}") : ""));
        var config = new ProtocolRun.Config(MethodGeneralization.Protocol, [task], null, settings, methods, settings.Seeds,
            randomSeed, probeOptions.Cache(parse), parse.GetValue(probeOptions.BatchSize), protocolOptions.Curve(parse, settings.Tasks));
        return ProtocolRun.Plan(folder, config, baseModel, (context, root) => MethodGeneralization.Run(task, methods, settings.Seeds, context, root, randomSeed));
    }

    /// <summary>
    /// The generalization protocol on a summarization task (<see cref="Seq2SeqGeneralization"/>): fine-tune the
    /// seq2seq base (<c>--model</c>, default the shipped one) as <c>finetune</c> on that task would, probe each
    /// fine-tuned encoder and the base's. The collapse curve watches classification fine-tuning only.
    /// </summary>
    static Runs.RunPlan PlanSeq2SeqProtocol(ParseResult parse, ProbeSettings settings, string task, ProbeOptions probeOptions, ProtocolOptions protocolOptions, int randomSeed, Option<string?> output)
    {
        if (protocolOptions.Curve(parse, settings.Tasks) is not null) throw new InputError($"--curve-every: the collapse curve watches classification fine-tuning, not a generator's on {task}");
        var configs = protocolOptions.Seq2SeqConfigs(parse, task);
        var summaries = Seq2SeqFineTuneRun.LoadTask(task, configs[0]);
        var baseModel = ModelFolder.Resolve(parse.GetValue(probeOptions.Model) ?? ModelFolder.ShippedSeq2SeqDirectory()
            ?? throw new InputError($"probe --task {task}: fine-tuning a generator needs a sequence-to-sequence model: pass --model <folder>"));
        configs = [.. configs.Select(c => c with { Task = summaries.Name })];
        foreach (var method in configs) Seq2SeqFineTuner.Check(method, summaries, baseModel);
        var kinds = configs.Select(m => Training.Regularizers.MethodRegistry.KindOf(m.Method)).ToList();
        var folder = parse.GetValue(output) ?? Path.Combine("results", "probe",
            $"generalization-{summaries.Name}-{string.Join("+", kinds)}-{parse.GetValue(probeOptions.Pooling)}-{settings.Probe}-{settings.Layers.Text}"
            + (settings.TrainLimit is { } n ? FormattableString.Invariant($"-n{n}") : ""));
        var config = new ProtocolRun.Config(MethodGeneralization.Protocol, [task], null, settings, [], settings.Seeds,
            randomSeed, probeOptions.Cache(parse), parse.GetValue(probeOptions.BatchSize), Seq2SeqMethods: configs);
        return ProtocolRun.Plan(folder, config, baseModel, (context, root) => Seq2SeqGeneralization.Run(summaries, configs, settings.Seeds, context, root, randomSeed));
    }

    /// <summary>The checkpoint (if any), the base and the random reference, in that order.</summary>
    static IReadOnlyList<ProbedModel> ProbedModels(string? checkpoint, string? baseDirectory, int randomSeed)
    {
        var baseModel = ProbedModel.Reference(ProbedModel.BaseRole, new CheckpointFeatureSource("base", ModelFolder.Resolve(baseDirectory)));
        var models = new List<ProbedModel>();
        if (checkpoint is not null)
        {
            var folder = ModelFolder.Resolve(FineTunedModel.ModelOrRunBest(checkpoint));
            var label = Path.GetFileName(folder.Path) is "best" or "last" ? Path.GetFileName(Path.GetDirectoryName(folder.Path))! : Path.GetFileName(folder.Path);
            var method = FineTunedModel.HasHead(folder.Path) ? FineTunedModel.ReadHead(folder.Path).Method : "";
            models.Add(new ProbedModel(ProbedModel.CheckpointRole, new CheckpointFeatureSource(label, folder), method));
        }
        models.Add(baseModel);
        models.Add(ProbedModel.Reference(ProbedModel.RandomRole, new RandomEncoderSource(baseModel.Source, randomSeed)));
        return models;
    }
}
