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
        var specs = new Argument<string[]>("specs")
        {
            Description = "Experiment specs (JSON), e.g. experiments/quickstart.json or experiments/paper/*.json (run one after another)",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = CommonOptions.Output("the study (default results/<spec name>; only with one spec)");
        var jobs = new Option<int>("--jobs") { Description = "Runs at a time, each a worker process with its share of the cores", DefaultValueFactory = _ => 1 };
        var overrides = CommonOptions.Overrides();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the grid's command lines and stop" };
        var backend = new Option<string>("--backend") { Description = "local: worker processes here (default); slurm: one Slurm job array, a task per run", DefaultValueFactory = _ => "local" };
        backend.AcceptOnlyFromAmong("local", "slurm");
        var partition = new Option<string?>("--partition") { Description = "Slurm partition (slurm backend)" };
        var time = new Option<string?>("--time") { Description = "Slurm time limit per run, e.g. 04:00:00 (slurm backend)" };
        var cpus = new Option<int>("--cpus-per-task") { Description = "Cores per Slurm array task; its torch threads (slurm backend)", DefaultValueFactory = _ => 1 };
        var wait = new Option<bool>("--wait") { Description = "Slurm backend: wait until the job array has ended, record each run's Slurm state in study.json, and report like a local run" };
        var mem = new Option<string?>("--mem") { Description = "Memory per Slurm array task, e.g. 16G (slurm backend; unset: the cluster's default)" };
        var account = new Option<string?>("--account") { Description = "Slurm account to charge (slurm backend)" };
        var qos = new Option<string?>("--qos") { Description = "Slurm quality of service (slurm backend)" };
        var gres = new Option<string?>("--gres") { Description = $"Slurm generic resources per task, e.g. gpu:a100:1 (slurm backend; with --device cuda, {SlurmOptions.DefaultGpu} unless given)" };
        var sbatchArguments = new Option<string[]>("--sbatch-arg")
        {
            Description = "Any other sbatch option, as one word, e.g. --sbatch-arg=--constraint=avx512 (repeatable; slurm backend)",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("run", "Run experiment specs as grids of runs; finished runs (DONE) are skipped, interrupted ones resumed")
        {
            specs, output, jobs, overrides, dryRun, backend, partition, time, cpus, wait, mem, account, qos, gres, sbatchArguments,
        };
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(specs)!;
            if (paths.Length > 1 && parse.GetValue(output) is not null) throw new InputError($"--out names one study folder, but {paths.Length} specs were given");
            if (parse.GetValue(jobs) < 1) throw new InputError($"--jobs {parse.GetValue(jobs)}: expected a positive number");
            var slurmOptions = new SlurmOptions(parse.GetValue(partition), parse.GetValue(time), parse.GetValue(cpus),
                parse.GetValue(mem), parse.GetValue(account), parse.GetValue(qos), parse.GetValue(gres), parse.GetValue(sbatchArguments) ?? []).Check();
            if (parse.GetValue(backend) != "slurm")
            {
                var slurmOnly = new Option[] { partition, time, cpus, wait, mem, account, qos, gres, sbatchArguments }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });
                if (slurmOnly is not null) throw new InputError($"{slurmOnly.Name} applies to --backend slurm only");
            }
            // Every spec is read, expanded and every cell's command planned (all its inputs checked) before
            // anything runs or is written, so a typo in the last one costs no hours.
            var studies = paths.Select(path =>
            {
                var spec = StudySpec.Read(path);
                var directory = parse.GetValue(output) ?? Path.Combine("results", spec.Name);
                return (Spec: spec, Directory: directory, Cells: PlanCells(path, StudyGrid.Expand(spec, directory, parse.GetValue(overrides)!), directory));
            }).ToList();
            var duplicate = studies.GroupBy(s => Path.GetFullPath(s.Directory)).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw new InputError($"two specs write the same study folder {duplicate.First().Directory}");
            var exitCode = 0;
            foreach (var (studySpec, directory, cells) in studies)
            {
                if (parse.GetValue(dryRun))
                {
                    foreach (var cell in cells) Console.WriteLine("workbench " + string.Join(' ', cell.Arguments));
                    continue;
                }
                if (parse.GetValue(backend) == "slurm")
                {
                    exitCode |= SubmitToSlurm(studySpec, cells, directory, slurmOptions, parse.GetValue(CommonOptions.Device)!, parse.GetValue(wait));
                    continue;
                }
                var outcomes = Execute(studySpec, cells, directory, parse.GetValue(jobs), parse.GetValue(CommonOptions.Threads), parse.GetValue(CommonOptions.Device)!);
                var failed = PrintFailures(outcomes);
                Console.WriteLine($"study {studySpec.Name}: {outcomes.Count - failed} of {outcomes.Count} runs finished in {directory}");
                if (failed > 0) exitCode = 1;
            }
            return exitCode;
        });
        return command;
    }

    /// <summary>Plans every cell in this process (see <see cref="StudyCells.Plan"/>); a bad cell is an error naming the spec and the cell.</summary>
    public static IReadOnlyList<GridCell> PlanCells(string specPath, IReadOnlyList<GridCell> cells, string directory)
    {
        try
        {
            return StudyCells.Plan(cells, directory, Cli.Plan);
        }
        catch (InputError error)
        {
            throw InputError.InFile(specPath, error.Message);
        }
    }

    /// <summary>Writes each failed run to stderr; returns how many failed.</summary>
    public static int PrintFailures(IReadOnlyList<CellOutcome> outcomes)
    {
        var failed = outcomes.Where(o => o.Status.StartsWith("failed", StringComparison.Ordinal)).ToList();
        foreach (var failure in failed) Console.Error.WriteLine($"{failure.Id}: {failure.Status}");
        return failed.Count;
    }

    static int SubmitToSlurm(StudySpec spec, IReadOnlyList<GridCell> cells, string directory, SlurmOptions options, string device, bool wait)
    {
        var slurm = new SlurmBackend(new SlurmCli(), options, device, Console.WriteLine);
        var submission = slurm.Submit(spec, cells, directory);
        if (submission.Array is { } array)
            Console.WriteLine($"study {spec.Name}: submitted job array {array.JobId} ({array.Cells.Count} runs) from {array.Script}; `workbench status {directory}` follows it");
        else if (submission.StillQueued.Count == 0)
        {
            Console.WriteLine($"study {spec.Name}: all {cells.Count} runs are already done in {directory}");
            return 0;
        }
        else Console.WriteLine($"study {spec.Name}: nothing submitted; {submission.StillQueued.Count} runs are still queued, {submission.Done.Count} done");
        if (!wait) return 0;
        var outcomes = slurm.WaitAndRecord(spec, cells, directory, TimeSpan.FromSeconds(0.5));
        var failed = PrintFailures(outcomes);
        Console.WriteLine($"study {spec.Name}: {outcomes.Count - failed} of {outcomes.Count} runs finished in {directory}");
        return failed == 0 ? 0 : 1;
    }

    public static IReadOnlyList<CellOutcome> Execute(StudySpec spec, IReadOnlyList<GridCell> cells, string directory, int jobs, int threads, string device)
    {
        var executor = new ProcessCellExecutor(device);
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            return AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var overall = context.AddTask(Markup.Escape($"study {spec.Name}"), maxValue: cells.Count);
                    return new StudyRunner(executor, new LiveStudyProgress(overall), message => AnsiConsole.MarkupLine(Markup.Escape(message))).Run(spec, cells, directory, jobs, threads);
                });
        }
        return new StudyRunner(executor, new PlainStudyProgress(), Console.WriteLine).Run(spec, cells, directory, jobs, threads);
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
