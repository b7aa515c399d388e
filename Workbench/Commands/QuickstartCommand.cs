using System.CommandLine;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Pretraining;
using Probing.Workbench.Experiments;
using Probing.Workbench.Reporting;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>
/// <c>workbench quickstart</c>: the whole pipeline on the embedded default at a small scale —
/// <c>experiments/quickstart.json</c> as a study, then its figures and report.
/// </summary>
public static class QuickstartCommand
{
    public static string SpecPath => Path.Combine(ProjectPaths.DataDir, "..", "experiments", "quickstart.json");

    public static Command Create()
    {
        var output = CommonOptions.Output("the quickstart study (default results/quickstart)");
        var jobs = new Option<int>("--jobs") { Description = "Runs at a time", DefaultValueFactory = _ => 1 };
        var command = new Command("quickstart", "Run experiments/quickstart.json on the shipped base encoder, then draw its figures and report") { output, jobs };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var directory = parse.GetValue(output) ?? Path.Combine("results", "quickstart");
            var extra = BaseArguments(directory);
            var spec = StudySpec.Read(SpecPath);
            var cells = RunCommand.PlanCells(SpecPath, StudyGrid.Expand(spec, directory, [], extra), directory);
            var outcomes = RunCommand.Execute(spec, cells, directory, parse.GetValue(jobs), parse.GetValue(CommonOptions.Threads), parse.GetValue(CommonOptions.Device)!);
            var failed = RunCommand.PrintFailures(outcomes);
            var report = StudyReport.Build(directory);
            AnsiConsole.MarkupLine($"report: [bold]{Markup.Escape(Path.Combine(report.Directory, Reporting.Report.ReportFile))}[/] ({report.Figures.Count} figures)");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>
    /// The runs use the shipped base; on a checkout without it, a default-preset base is pretrained
    /// first (resumable) inside the study folder and passed to every run.
    /// </summary>
    static IReadOnlyList<string> BaseArguments(string directory)
    {
        if (File.Exists(Path.Combine(ModelFolder.ShippedBaseDirectory, EncoderCheckpoint.WeightsFile))) return [];
        var baseFolder = Path.Combine(directory, "base");
        AnsiConsole.MarkupLine($"[yellow]no shipped base in {Markup.Escape(ModelFolder.ShippedBaseDirectory)}: pretraining one in {Markup.Escape(baseFolder)}[/]");
        BasePretraining.Run(BasePretraining.Plan(PretrainConfig.Preset("default"), baseFolder, "pretrain"));
        return ["--model", Path.Combine(baseFolder, PretrainingPipeline.ModelSubfolder)];
    }
}
