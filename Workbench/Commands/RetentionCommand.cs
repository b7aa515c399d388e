using System.CommandLine;
using Probing.Probing.Protocols;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Commands;

/// <summary>
/// <c>workbench retention --methods … --seeds …</c>: N tasks fine-tuned in turn for C cycles, every
/// task probed after every stage; see <see cref="RetentionCycles"/>.
/// </summary>
public static class RetentionCommand
{
    public static Command Create()
    {
        var probeOptions = new ProbeOptions();
        var protocolOptions = new ProtocolOptions(required: true);
        var tasks = new Option<string[]>("--tasks")
        {
            Description = "The tasks of one cycle, in order (default: the chain's, sotu-era field-pair-proxy word-usage-proxy excerpt-nli-proxy; sst2 qnli qqp rte with a GLUE folder)",
            AllowMultipleArgumentsPerToken = true,
        };
        var cycles = new Option<int>("--cycles") { Description = "How many times the tasks come round", DefaultValueFactory = _ => RetentionCycles.DefaultCycles };
        var output = CommonOptions.Output("the retention run (default results/retention/<methods>-<setting>-<probe>-<layers>)");
        var forceNew = CommonOptions.ForceNew();
        var command = new Command("retention", "Fine-tune on N tasks for C cycles, probing every task after every stage; writes probes.csv, cka.csv, stages.csv")
        {
            tasks, cycles, output, forceNew,
        };
        probeOptions.AddTo(command);
        protocolOptions.AddTo(command);
        command.SetPlanner(parse =>
        {
            var list = ProbeOptions.SplitList(parse.GetValue(tasks) is { Length: > 0 } named ? named : [.. DegradationChain.DefaultFor(parse.GetValue(probeOptions.DataDir))]);
            if (list.Length == 0) throw new InputError("--tasks: name at least one task");
            var count = parse.GetValue(cycles);
            if (count < 1) throw new InputError($"--cycles {count}: expected a positive number");
            return SequentialCommand.Plan(parse, probeOptions, protocolOptions, list, RetentionCycles.Protocol, count, output, forceNew, (config, context, root) =>
                RetentionCycles.Run(list, count, config.Methods, config.Seeds, context, Path.Combine(root, RetentionCycles.Folder)));
        });
        return command;
    }
}
