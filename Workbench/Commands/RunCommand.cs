using System.CommandLine;
using Probing.Training.Infrastructure;
using Probing.Workbench.Experiments;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench run &lt;spec&gt;</c>: a study as a resumable grid of runs.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "Experiment spec (JSON), e.g. experiments/quickstart.json" };
        var output = CommonOptions.Output("the study (default results/<spec name>)");
        var jobs = new Option<int>("--jobs") { Description = "Runs at a time, each a worker process with its share of the cores", DefaultValueFactory = _ => 1 };
        var overrides = CommonOptions.Overrides();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the grid's command lines and stop" };
        var command = new Command("run", "Run an experiment spec as a grid of runs; finished runs (DONE) are skipped, interrupted ones resumed")
        {
            spec, output, jobs, overrides, dryRun,
        };
        command.SetAction(parse =>
        {
            var studySpec = StudySpec.Read(parse.GetValue(spec)!);
            var directory = parse.GetValue(output) ?? Path.Combine("results", studySpec.Name);
            var cells = StudyGrid.Expand(studySpec, directory, parse.GetValue(overrides)!);
            if (parse.GetValue(dryRun))
            {
                foreach (var cell in cells) Console.WriteLine("workbench " + string.Join(' ', cell.Arguments));
                return 0;
            }
            if (parse.GetValue(jobs) < 1) throw new InputError($"--jobs {parse.GetValue(jobs)}: expected a positive number");
            var outcomes = Execute(studySpec, cells, directory, parse.GetValue(jobs), parse.GetValue(CommonOptions.Threads));
            var failed = outcomes.Where(o => o.Status.StartsWith("failed", StringComparison.Ordinal)).ToList();
            foreach (var failure in failed) Console.Error.WriteLine($"{failure.Id}: {failure.Status}");
            Console.WriteLine($"study {studySpec.Name}: {outcomes.Count - failed.Count} of {outcomes.Count} runs finished in {directory}");
            return failed.Count == 0 ? 0 : 1;
        });
        return command;
    }

    public static IReadOnlyList<CellOutcome> Execute(StudySpec spec, IReadOnlyList<GridCell> cells, string directory, int jobs, int threads)
    {
        var executor = new ProcessCellExecutor();
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            return AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var overall = context.AddTask(Markup.Escape($"study {spec.Name}"), maxValue: cells.Count);
                    return new StudyRunner(executor, new LiveStudyProgress(overall)).Run(spec, cells, directory, jobs, threads);
                });
        }
        return new StudyRunner(executor, new PlainStudyProgress()).Run(spec, cells, directory, jobs, threads);
    }

    sealed class LiveStudyProgress(ProgressTask overall) : IStudyProgress
    {
        readonly HashSet<string> running = [];

        public void Started(GridCell cell)
        {
            running.Add(cell.Id);
            overall.Description = Markup.Escape($"running {string.Join(", ", running)}");
        }

        public void Finished(CellOutcome outcome, int done, int total)
        {
            running.Remove(outcome.Id);
            overall.Value = done;
            overall.Description = Markup.Escape(running.Count > 0 ? $"running {string.Join(", ", running)}" : $"{done}/{total} runs");
        }
    }

    sealed class PlainStudyProgress : IStudyProgress
    {
        public void Started(GridCell cell) => Console.WriteLine($"start {cell.Id}");
        public void Finished(CellOutcome outcome, int done, int total) => Console.WriteLine($"[{done}/{total}] {outcome.Id}: {outcome.Status} ({outcome.Seconds:F0} s)");
    }
}
