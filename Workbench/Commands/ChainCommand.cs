using System.CommandLine;
using Probing.Probing.Protocols;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Commands;

/// <summary>
/// <c>workbench chain --methods … --seeds …</c>: the degradation chain (sequential fine-tuning along
/// SST-2 → QNLI → QQP → RTE on a GLUE folder, four tasks the base learns on the embedded suite) with frozen probes of the first and every
/// earlier task after every stage; see <see cref="DegradationChain"/>.
/// </summary>
public static class ChainCommand
{
    public static Command Create()
    {
        var probeOptions = new ProbeOptions();
        var protocolOptions = new ProtocolOptions(required: true);
        var tasks = new Option<string[]>("--tasks")
        {
            Description = "The chain, in order (default: sotu-era field-pair-proxy word-usage-proxy excerpt-nli-proxy; sst2 qnli qqp rte with a GLUE folder)",
            AllowMultipleArgumentsPerToken = true,
        };
        var output = CommonOptions.Output("the chain (default results/chain/<methods>-<setting>-<probe>-<layers>)");
        var forceNew = CommonOptions.ForceNew();
        var command = new Command("chain", "Sequential fine-tuning along a chain of tasks, probing the first and every earlier task after each stage; writes probes.csv, cka.csv, stages.csv")
        {
            tasks, output, forceNew,
        };
        probeOptions.AddTo(command);
        protocolOptions.AddTo(command);
        command.SetPlanner(parse =>
        {
            var chain = ProbeOptions.SplitList(parse.GetValue(tasks) is { Length: > 0 } named ? named : [.. DegradationChain.DefaultFor(parse.GetValue(probeOptions.DataDir))]);
            if (chain.Length == 0) throw new InputError("--tasks: name at least one task");
            return SequentialCommand.Plan(parse, probeOptions, protocolOptions, chain, "chain", cycles: null, output, forceNew, (config, context, root) =>
                DegradationChain.Run(chain, config.Methods, config.Seeds, context, Path.Combine(root, DegradationChain.Folder)));
        });
        return command;
    }
}

/// <summary>What <c>chain</c> and <c>retention</c> share: resolve the options into a protocol config and plan it.</summary>
static class SequentialCommand
{
    public static CommandPlan Plan(ParseResult parse, ProbeOptions probeOptions, ProtocolOptions protocolOptions, IReadOnlyList<string> tasks,
        string protocol, int? cycles, Option<string?> output, Option<bool> forceNew, Func<ProtocolRun.Config, ProtocolContext, string, ProtocolResults> run)
    {
        var seeds = protocolOptions.RunSeeds(parse);
        var settings = probeOptions.Settings(parse, tasks, seeds);
        var methods = protocolOptions.Configs(parse, settings.MaxLength);
        var baseModel = ModelFolder.Resolve(parse.GetValue(probeOptions.Model));
        var name = $"{string.Join("+", methods.Select(m => Training.Regularizers.MethodRegistry.KindOf(m.Method)))}-{parse.GetValue(protocolOptions.Setting)}-{settings.Probe}-{settings.Layers.Text}"
            + (settings.TrainLimit is { } n ? FormattableString.Invariant($"-n{n}") : "");
        var folder = parse.GetValue(output) ?? Path.Combine("results", protocol, name);
        var config = new ProtocolRun.Config(protocol, tasks, cycles, settings, methods, seeds, null, probeOptions.Cache(parse), parse.GetValue(probeOptions.BatchSize),
            protocolOptions.Curve(parse, tasks));
        var plan = ProtocolRun.Plan(folder, config, baseModel, (context, root) => run(config, context, root));
        return new CommandPlan([plan], () =>
        {
            CommonOptions.ApplyRuntime(parse);
            ProtocolRun.Execute(plan, parse.GetValue(forceNew));
            return 0;
        });
    }
}
