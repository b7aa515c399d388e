using Probing.Workbench.Runs;

namespace Probing.Workbench.Experiments;

public enum CellState { Done, Running, Pending, Failed, NotStarted }

public sealed record CellStatus(string Id, CellState State, string Detail);

/// <summary>
/// Where each cell of a study stands: DONE markers of runs with the cell's identity first (the lasting record), then what Slurm
/// says about the array task that ran the cell last while it still knows the job, then the outcome recorded in <c>study.json</c>
/// (by a local run, or by <c>run --backend slurm --wait</c> with Slurm's state).
/// </summary>
public static class StudyStatus
{
    public static IReadOnlyList<CellStatus> Read(string studyDirectory, ISlurmQueue? queue)
    {
        var manifest = StudyManifest.Read(studyDirectory);
        var outcomes = manifest.Outcomes;
        // The array that ran each cell last, and its task index.
        var lastRun = new Dictionary<string, (SlurmArray Array, int Task)>();
        foreach (var array in manifest.SlurmArrays)
            for (int task = 0; task < array.Cells.Count; task++) lastRun[array.Cells[task]] = (array, task);
        var taskStates = new Dictionary<string, IReadOnlyDictionary<int, SlurmTaskState>>();
        IReadOnlyDictionary<int, SlurmTaskState> StatesOf(SlurmArray array)
        {
            if (taskStates.TryGetValue(array.JobId, out var known)) return known;
            var states = new Dictionary<int, SlurmTaskState>();
            if (queue is not null)
            {
                foreach (var (task, state) in queue.TaskStates(array.JobId)) states[task] = state;
                // squeue has the last word on what is still queued.
                foreach (var (task, state) in queue.QueuedTasks(array.JobId)) states[task] = new SlurmTaskState(state);
            }
            return taskStates[array.JobId] = states;
        }
        return [.. manifest.Cells.Select(id =>
        {
            var folder = Path.Combine(studyDirectory, id);
            if (RunFolder.IsFinished(folder))
            {
                var expected = manifest.Identities.GetValueOrDefault(id);
                if (expected is null || RunIdentity.Read(folder)?.Hash == expected) return new CellStatus(id, CellState.Done, "");
                return new CellStatus(id, CellState.NotStarted, "stale: its folder holds another run than the study's; `workbench run` replaces it");
            }
            var recorded = outcomes.GetValueOrDefault(id);
            if (lastRun.TryGetValue(id, out var run))
            {
                var where = $"job {run.Array.Task(run.Task)}";
                if (StatesOf(run.Array).TryGetValue(run.Task, out var state))
                    return new CellStatus(id, Classify(state), $"{where} {state}");
                if (recorded is not null && recorded.StartsWith("failed", StringComparison.Ordinal)) return new CellStatus(id, CellState.Failed, recorded);
                return new CellStatus(id, CellState.Failed, $"{where} ended without DONE; see {id}.log");
            }
            if (recorded is not null && recorded.StartsWith("failed", StringComparison.Ordinal))
                return new CellStatus(id, CellState.Failed, recorded);
            return new CellStatus(id, CellState.NotStarted, Directory.Exists(Path.Combine(studyDirectory, id)) ? "interrupted; `workbench run` resumes it" : "");
        })];
    }

    /// <summary>
    /// The ids, each unfinished one with the failure <c>study.json</c> records for it (a Slurm task's state, say), for a
    /// report's list of unfinished runs: "pretrain/seed-2 (failed (Slurm TIMEOUT, exit 0:15; …))". Ids without a
    /// recorded failure, or a folder without <c>study.json</c>, are returned as they are.
    /// </summary>
    public static IReadOnlyList<string> Describe(string studyDirectory, IEnumerable<string> ids)
    {
        var outcomes = File.Exists(Path.Combine(studyDirectory, StudyManifest.FileName)) ? StudyManifest.Read(studyDirectory).Outcomes : new Dictionary<string, string>();
        return [.. ids.Select(id => outcomes.GetValueOrDefault(id) is { } outcome && outcome.StartsWith("failed", StringComparison.Ordinal)
            && !RunFolder.IsFinished(Path.Combine(studyDirectory, id)) ? $"{id} ({outcome})" : id)];
    }

    static CellState Classify(SlurmTaskState state) => state.IsQueued
        ? state.State is "RUNNING" or "COMPLETING" or "CONFIGURING" or "STAGE_OUT" or "SIGNALING" ? CellState.Running : CellState.Pending
        // COMPLETED without DONE means the command exited 0 without finishing its run.
        : CellState.Failed;
}
