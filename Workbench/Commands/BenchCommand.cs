using System.CommandLine;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench bench …</c>: speed measurements written as CSV, with ratios taken side by side in one run.</summary>
public static class BenchCommand
{
    public static Command Create() => new("bench", "Benchmarks that write CSV (speed goals are checked here, not in tests)")
    {
        BenchEncoderCommand.Create(),
        BenchMethodsCommand.Create(),
        BenchMemoryCommand.Create(),
        BenchProbeCommand.Create(),
        BenchHfCommand.Create(),
        BenchSeq2SeqCommand.Create(),
    };

    /// <summary>The interpreter of the reference scripts in bench/ (default: the first of /usr/bin/python3 and python3 that has the module).</summary>
    public static Option<string?> Python() => new("--python")
    {
        Description = "Python interpreter for the reference script (default: $PROBING_PYTHON, else the first of /usr/bin/python3 and python3 that imports the module it needs)",
    };
}
