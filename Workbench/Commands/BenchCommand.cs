using System.CommandLine;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench bench …</c>: speed measurements written as CSV, with ratios taken side by side in one run.</summary>
public static class BenchCommand
{
    public static Command Create() => new("bench", "Benchmarks that write CSV (speed goals are checked here, not in tests)")
    {
        BenchEncoderCommand.Create(),
        BenchMethodsCommand.Create(),
        BenchProbeCommand.Create(),
        BenchHfCommand.Create(),
    };
}
