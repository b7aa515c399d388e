using System.CommandLine;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;

var root = new RootCommand("Probing: a workbench for studying representational collapse in fine-tuned text encoders.");
root.Options.Add(CommonOptions.Threads);
foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);

try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is InputError or TrainingDiverged)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
