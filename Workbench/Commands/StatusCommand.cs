using System.CommandLine;
using Probing.Workbench.Experiments;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench status &lt;study&gt;</c>: done, running, pending and failed cells of a local or Slurm study.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var study = new Argument<string>("study") { Description = "Study folder, e.g. results/quickstart" };
        var command = new Command("status", "Show which runs of a study are done, running, pending or failed (DONE markers, study.json, and squeue/scontrol for Slurm studies)")
        {
            study,
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(study)!;
            var statuses = StudyStatus.Read(directory, SlurmAvailable() ? new SlurmCli() : null);
            var table = new Table().AddColumns("run", "state", "detail");
            foreach (var status in statuses)
                table.AddRow(Markup.Escape(status.Id), Colour(status.State), Markup.Escape(status.Detail));
            AnsiConsole.Write(table);
            var counts = Enum.GetValues<CellState>().Select(s => (s, statuses.Count(x => x.State == s))).Where(c => c.Item2 > 0);
            Console.WriteLine(string.Join(", ", counts.Select(c => $"{c.Item2} {Name(c.s)}")) + $" of {statuses.Count} runs");
            return statuses.Any(s => s.State == CellState.Failed) ? 1 : 0;
        });
        return command.RunsNoTorch();
    }

    /// <summary>Without the Slurm client commands, a Slurm study's unfinished cells are judged from their folders alone.</summary>
    static bool SlurmAvailable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "scontrol")));

    static string Name(CellState state) => state switch
    {
        CellState.NotStarted => "not started",
        _ => state.ToString().ToLowerInvariant(),
    };

    static string Colour(CellState state) => state switch
    {
        CellState.Done => "[green]done[/]",
        CellState.Running => "[blue]running[/]",
        CellState.Pending => "[yellow]pending[/]",
        CellState.Failed => "[red]failed[/]",
        _ => "not started",
    };
}
