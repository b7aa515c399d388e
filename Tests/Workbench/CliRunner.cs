using Probing.Workbench;

namespace Probing.Tests.Workbench;

/// <summary>Runs the CLI in-process and captures what it writes to stderr.</summary>
static class CliRunner
{
    public static (int ExitCode, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            return (Cli.Run(args), error.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }
}
