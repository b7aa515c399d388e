using System.Diagnostics;
using System.Text.Json.Serialization;
using Probing.Training.Infrastructure;
using Probing.Workbench.Runs;

namespace Probing.Workbench.Experiments;

/// <summary>Runs one cell of a study (in production: a child <c>workbench</c> process).</summary>
public interface ICellExecutor
{
    /// <returns>The exit code of the cell's command.</returns>
    int Execute(GridCell cell, int threads, string logPath);
}

/// <summary>How a cell ended; for a Slurm array task also its task (77_3), Slurm's state (COMPLETED, FAILED, TIMEOUT, …) and exit code (code:signal).</summary>
public sealed record CellOutcome(string Id, string Status, double Seconds, int ExitCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SlurmTask = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SlurmState = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SlurmExitCode = null);

/// <summary>What the study view shows: progress over cells and which cells are running.</summary>
public interface IStudyProgress
{
    void Started(GridCell cell);
    void Finished(CellOutcome outcome, int done, int total);
}

/// <summary>
/// Runs a study's grid: a cell whose folder holds a finished run of the cell's identity is skipped; a
/// folder holding another run (the spec or an input changed since) is a stale result and moves to
/// <c>.superseded/</c>, so the cell runs anew; the others rerun (their commands resume from their own
/// checkpoints), up to <c>jobs</c> at a time with the cores split between them. Each cell's outcome is
/// recorded in the study manifest. SIGINT/SIGTERM stop the running cells and start no more.
/// </summary>
public sealed class StudyRunner(ICellExecutor executor, IStudyProgress progress, Action<string>? log = null)
{
    public const string ManifestFile = StudyManifest.FileName;

    public IReadOnlyList<CellOutcome> Run(StudySpec spec, IReadOnlyList<GridCell> cells, string studyDirectory, int jobs, int threads)
    {
        using var studyLock = StudyLock.Acquire(studyDirectory);
        var manifest = RunManifest.Begin("run " + spec.Name, seed: 0, device: TorchRuntime.DeviceName);
        // A local run keeps the record of the job arrays submitted for the study before.
        var slurmArrays = StudyManifest.SlurmArrays(studyDirectory);
        var outcomes = new List<CellOutcome>();
        var pending = new List<GridCell>();
        foreach (var cell in cells)
        {
            if (StudyCells.IsDone(studyDirectory, cell)) outcomes.Add(new CellOutcome(cell.Id, "skipped (DONE)", 0, 0));
            else
            {
                StudyCells.SupersedeIfStale(studyDirectory, cell, log);
                pending.Add(cell);
            }
        }
        WriteManifest(studyDirectory, spec, manifest, cells, outcomes, slurmArrays);

        var threadsPerJob = Math.Max(1, threads / Math.Max(1, jobs));
        var gate = new object();
        using (WorkerProcesses.ForwardSignals())
        {
            Parallel.ForEach(pending, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs) }, cell =>
            {
                if (WorkerProcesses.Stopping) return;
                lock (gate) progress.Started(cell);
                var folder = Path.Combine(studyDirectory, cell.Id);
                Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
                var clock = Stopwatch.StartNew();
                var exitCode = executor.Execute(cell, threadsPerJob, folder + ".log");
                var finished = exitCode == 0 && StudyCells.IsDone(studyDirectory, cell);
                var status = finished ? "done" : WorkerProcesses.Stopping ? $"interrupted (exit {exitCode}); `workbench run` resumes it" : $"failed (exit {exitCode}; see {cell.Id}.log)";
                var outcome = new CellOutcome(cell.Id, status, Math.Round(clock.Elapsed.TotalSeconds, 1), exitCode);
                lock (gate)
                {
                    outcomes.Add(outcome);
                    progress.Finished(outcome, outcomes.Count, cells.Count);
                    WriteManifest(studyDirectory, spec, manifest, cells, outcomes, slurmArrays);
                }
            });
        }
        WriteManifest(studyDirectory, spec, manifest.Finish(), cells, outcomes, slurmArrays);
        if (WorkerProcesses.Stopping) throw new Interrupted(WorkerProcesses.StopSignal);
        return outcomes;
    }

    static void WriteManifest(string directory, StudySpec spec, RunManifest manifest, IReadOnlyList<GridCell> cells, List<CellOutcome> outcomes, IReadOnlyList<SlurmArray> slurmArrays) =>
        StudyManifest.Write(directory, spec, manifest, cells, outcomes, slurmArrays);
}

/// <summary>Runs a cell as a child <c>workbench</c> process (<see cref="WorkerProcesses"/>), its output going to the cell's log file.</summary>
public sealed class ProcessCellExecutor(string device = "cpu") : ICellExecutor
{
    public int Execute(GridCell cell, int threads, string logPath)
    {
        var info = WorkbenchProcess.StartInfo(["--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture), "--device", device, .. cell.Arguments]);
        using var log = new StreamWriter(logPath, append: true);
        return WorkerProcesses.Run(info, (line, _) =>
        {
            lock (log) log.WriteLine(line);
        });
    }
}

/// <summary>How to start this same workbench as a child process, from the apphost or from a test host.</summary>
public static class WorkbenchProcess
{
    /// <summary>The program and leading arguments that start the workbench, for scripts that start it elsewhere.</summary>
    public static IReadOnlyList<string> CommandLine()
    {
        var info = StartInfo([]);
        return [info.FileName, .. info.ArgumentList];
    }

    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var self = Environment.ProcessPath;
        var apphost = Path.Combine(AppContext.BaseDirectory, "workbench");
        ProcessStartInfo info;
        if (self is not null && Path.GetFileName(self) == "workbench") info = new ProcessStartInfo(self);
        else if (File.Exists(apphost)) info = new ProcessStartInfo(apphost);
        else info = new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "workbench.dll") } };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.UseShellExecute = false;
        return info;
    }
}
