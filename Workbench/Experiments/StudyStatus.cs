using Probing.Workbench.Runs;

namespace Probing.Workbench.Experiments;

public enum CellState { Done, Running, Pending, Failed, NotStarted }

public sealed record CellStatus(string Id, CellState State, string Detail);

/// <summary>
/// Where each cell of a study stands: DONE markers of runs with the cell's identity first (the lasting record), then what Slurm
/// says about the cell's array task while it still knows the job, then what a local run recorded.
/// </summary>
public static class StudyStatus
{
    public static IReadOnlyList<CellStatus> Read(string studyDirectory, ISlurmQueue? queue)
    {
        var manifest = StudyManifest.Read(studyDirectory);
        var (cells, outcomes, slurm) = manifest;
        var taskStates = slurm is not null && queue is not null ? queue.TaskStates(slurm.JobId) : new Dictionary<int, string>();
        var taskOf = slurm?.Cells.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => p.index) ?? [];
        return [.. cells.Select(id =>
        {
            var folder = Path.Combine(studyDirectory, id);
            if (RunFolder.IsFinished(folder))
            {
                var expected = manifest.Identities.GetValueOrDefault(id);
                if (expected is null || RunIdentity.Read(folder)?.Hash == expected) return new CellStatus(id, CellState.Done, "");
                return new CellStatus(id, CellState.NotStarted, "stale: its folder holds another run than the study's; `workbench run` replaces it");
            }
            if (taskOf.TryGetValue(id, out var task))
            {
                var where = $"job {slurm!.JobId}_{task}";
                if (taskStates.TryGetValue(task, out var state))
                    return new CellStatus(id, Classify(state), $"{where} {state}");
                return new CellStatus(id, CellState.Failed, $"{where} ended without DONE; see {id}.log");
            }
            if (outcomes.TryGetValue(id, out var outcome) && outcome.StartsWith("failed", StringComparison.Ordinal))
                return new CellStatus(id, CellState.Failed, outcome);
            return new CellStatus(id, CellState.NotStarted, Directory.Exists(Path.Combine(studyDirectory, id)) ? "interrupted; `workbench run` resumes it" : "");
        })];
    }

    static CellState Classify(string slurmState) => slurmState switch
    {
        "RUNNING" or "COMPLETING" or "CONFIGURING" => CellState.Running,
        "PENDING" or "REQUEUED" or "REQUEUE_HOLD" or "SUSPENDED" or "RESIZING" => CellState.Pending,
        // COMPLETED without DONE means the command exited 0 without finishing its run.
        _ => CellState.Failed,
    };
}
