using System.CommandLine;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;

namespace Probing.Workbench;

/// <summary>The <c>workbench</c> command line: parses, runs, and turns bad input into one line on stderr and exit code 2.</summary>
public static class Cli
{
    public const int BadInputExitCode = 2;

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Probing: a workbench for studying representational collapse in fine-tuned text encoders.");
        root.Options.Add(CommonOptions.Threads);
        root.Options.Add(CommonOptions.Device);
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        return root;
    }

    public static int Run(string[] args)
    {
        // Spectre assumes 80 columns when output is redirected; tables would wrap into unreadable logs.
        if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 200;
        try
        {
            return CreateRoot().Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is InputError or TrainingDiverged)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInputExitCode;
        }
    }
}
