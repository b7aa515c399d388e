using System.Globalization;
using Probing.Workbench.Runs;

namespace Probing.Workbench.Experiments;

/// <summary>What a submission did: the new array (null when nothing was left to submit), the cells already done, and the cells an earlier array still has pending or running (cell id → its task and state).</summary>
public sealed record SlurmSubmission(SlurmArray? Array, IReadOnlyList<string> Done, IReadOnlyDictionary<string, string> StillQueued);

/// <summary>
/// Runs a study's grid as Slurm job arrays instead of local worker processes: the unfinished cells
/// become array tasks through <see cref="SlurmBatchScript"/>, and <c>study.json</c> records every array
/// submitted for the study (which task runs which cell) so that <c>workbench status</c> can report on
/// them. A cell that an earlier array still has pending or running is not submitted again, and
/// <see cref="WaitAndRecord"/> records each task's end with Slurm's state.
/// </summary>
public sealed class SlurmBackend(ISlurmQueue queue, SlurmOptions options, string device, Action<string>? log = null)
{
    /// <summary>Array N of a study: its script slurm/array-N.sh, Slurm's output of its tasks through the links in slurm/array-N/.</summary>
    public const string Folder = "slurm";

    public SlurmSubmission Submit(StudySpec spec, IReadOnlyList<GridCell> cells, string studyDirectory)
    {
        using var studyLock = StudyLock.Acquire(studyDirectory);
        var history = StudyManifest.SlurmArrays(studyDirectory);
        var unfinished = cells.Where(c => !StudyCells.IsDone(studyDirectory, c)).ToList();
        var stillQueued = Queued(history, unfinished.Select(c => c.Id).ToHashSet());
        foreach (var (id, where) in stillQueued) log?.Invoke($"{id}: still {where}; not submitted again");
        var pending = unfinished.Where(c => !stillQueued.ContainsKey(c.Id)).ToList();
        foreach (var cell in pending) StudyCells.SupersedeIfStale(studyDirectory, cell, log);
        var manifest = RunManifest.Begin("run " + spec.Name + " --backend slurm", seed: 0, device: device);
        var done = cells.Except(unfinished).Select(c => c.Id).ToList();
        var outcomes = done.Select(id => new CellOutcome(id, "skipped (DONE)", 0, 0))
            .Concat(stillQueued.Select(q => new CellOutcome(q.Key, $"queued ({q.Value})", 0, 0))).ToList();
        if (pending.Count == 0)
        {
            StudyManifest.Write(studyDirectory, spec, manifest, cells, outcomes, history);
            return new SlurmSubmission(null, done, stillQueued);
        }
        var number = (history.Count + 1).ToString(CultureInfo.InvariantCulture);
        var script = Path.GetFullPath(Path.Combine(studyDirectory, Folder, $"array-{number}.sh"));
        var taskLogs = Path.GetFullPath(Path.Combine(studyDirectory, Folder, $"array-{number}"));
        var workingDirectory = Environment.CurrentDirectory;
        SlurmBatchScript.LinkTaskLogs(taskLogs, pending, workingDirectory);
        File.WriteAllText(script, SlurmBatchScript.Render(spec.Name, studyDirectory, pending, WorkbenchProcess.CommandLine(), workingDirectory, options, device, taskLogs));
        var array = new SlurmArray(queue.Submit(script), script, [.. pending.Select(c => c.Id)],
            DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), taskLogs);
        StudyManifest.Write(studyDirectory, spec, manifest, cells, outcomes, [.. history, array]);
        return new SlurmSubmission(array, done, stillQueued);
    }

    /// <summary>Cells of <paramref name="unfinished"/> that a recorded array still has pending or running → "job 77_3 RUNNING".</summary>
    Dictionary<string, string> Queued(IReadOnlyList<SlurmArray> history, HashSet<string> unfinished)
    {
        var queued = new Dictionary<string, string>();
        // Newest first: a cell in two live arrays is reported by the one submitted last.
        foreach (var array in history.Reverse().Where(a => a.Cells.Any(unfinished.Contains)))
            foreach (var (task, state) in queue.QueuedTasks(array.JobId))
                if (task < array.Cells.Count && unfinished.Contains(array.Cells[task]))
                    queued.TryAdd(array.Cells[task], $"job {array.Task(task)} {state}");
        return queued;
    }

    /// <summary>
    /// Polls the queue until no task of the study's arrays is pending or running, then records every
    /// task's outcome in <c>study.json</c>: done when its run holds DONE, else failed with Slurm's state
    /// and exit code (FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, …).
    /// </summary>
    /// <returns>The outcome of every cell of the study.</returns>
    public IReadOnlyList<CellOutcome> WaitAndRecord(StudySpec spec, IReadOnlyList<GridCell> cells, string studyDirectory, TimeSpan pollInterval)
    {
        var history = StudyManifest.SlurmArrays(studyDirectory);
        var ids = cells.Select(c => c.Id).ToHashSet();
        // The array that ran each cell last, and its task index.
        var lastRun = new Dictionary<string, (SlurmArray Array, int Task)>();
        foreach (var array in history)
            for (int task = 0; task < array.Cells.Count; task++)
                if (ids.Contains(array.Cells[task])) lastRun[array.Cells[task]] = (array, task);
        var watched = lastRun.Values.Select(r => r.Array).Distinct().ToList();
        while (watched.Any(a => queue.IsActive(a.JobId))) Thread.Sleep(pollInterval);

        using var studyLock = StudyLock.Acquire(studyDirectory);
        var states = watched.ToDictionary(a => a.JobId, a => queue.TaskStates(a.JobId));
        var outcomes = cells.Select(cell =>
        {
            if (StudyCells.IsDone(studyDirectory, cell))
            {
                if (!lastRun.TryGetValue(cell.Id, out var ran)) return new CellOutcome(cell.Id, "skipped (DONE)", 0, 0);
                var ended = states[ran.Array.JobId].GetValueOrDefault(ran.Task);
                return new CellOutcome(cell.Id, "done", 0, 0, ran.Array.Task(ran.Task), ended?.State, ended?.ExitCode);
            }
            if (!lastRun.TryGetValue(cell.Id, out var run)) return new CellOutcome(cell.Id, "not submitted", 0, 0);
            var state = states[run.Array.JobId].GetValueOrDefault(run.Task) ?? new SlurmTaskState("UNKNOWN");
            var task = run.Array.Task(run.Task);
            var log = Path.GetRelativePath(studyDirectory, SlurmBatchScript.CellLog(cell, Environment.CurrentDirectory));
            // COMPLETED without DONE: the command exited 0 without finishing its run.
            return new CellOutcome(cell.Id, $"failed (Slurm {state}; job {task}; see {log})", 0, ExitCodeOf(state), task, state.State, state.ExitCode);
        }).ToList();
        var manifest = RunManifest.Begin("run " + spec.Name + " --backend slurm --wait", seed: 0, device: device).Finish();
        StudyManifest.Write(studyDirectory, spec, manifest, cells, outcomes, history);
        return outcomes;
    }

    /// <summary>The exit code of "code:signal", or 1 where Slurm gave none or 0 although the run did not finish.</summary>
    static int ExitCodeOf(SlurmTaskState state) =>
        int.TryParse(state.ExitCode?.Split(':')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code != 0 ? code : 1;
}
