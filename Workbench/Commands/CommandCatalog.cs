using System.CommandLine;

namespace Probing.Workbench.Commands;

/// <summary>Every command of the CLI, one line each.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        QuickstartCommand.Create(),
        PretrainCommand.Create(),
        PretrainSeq2SeqCommand.Create(),
        FineTuneCommand.Create(),
        EnsembleCommand.Create(),
        TasksCommand.Create(),
        RunCommand.Create(),
        FiguresCommand.Create(),
        StatusCommand.Create(),
        ProbeCommand.Create(),
        ChainCommand.Create(),
        RetentionCommand.Create(),
        ScalingCommand.Create(),
        ExportCommand.Create(),
        BenchCommand.Create(),
    ];
}
