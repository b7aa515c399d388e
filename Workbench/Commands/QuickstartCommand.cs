using System.CommandLine;
using Probing.Training.Pretraining;
using Probing.Workbench.Runs;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench quickstart</c>: the whole pipeline on the embedded default, at a small scale.</summary>
public static class QuickstartCommand
{
    public static Command Create()
    {
        var output = CommonOptions.Output("the quickstart (default results/quickstart)");
        var command = new Command("quickstart", "Pretrain a small base encoder (or reuse the finished one) and report held-out masked-LM accuracy") { output };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var root = parse.GetValue(output) ?? Path.Combine("results", "quickstart");
            var baseFolder = Path.Combine(root, "base");
            PretrainingOutcome outcome;
            if (RunFolder.IsFinished(baseFolder))
            {
                AnsiConsole.MarkupLine($"reusing the finished base encoder in [bold]{Markup.Escape(baseFolder)}[/]");
                outcome = BasePretraining.ReadFinished(baseFolder);
            }
            else
            {
                outcome = BasePretraining.Run(PretrainConfig.Preset("default"), baseFolder, "quickstart");
            }
            BasePretraining.PrintSummary(outcome, baseFolder);
            return 0;
        });
        return command;
    }
}
