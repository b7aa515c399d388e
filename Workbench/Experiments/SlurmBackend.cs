using Probing.Workbench.Runs;

namespace Probing.Workbench.Experiments;

/// <summary>
/// Runs a study's grid as one Slurm job array instead of local worker processes: the unfinished
/// cells become array tasks through <see cref="SlurmBatchScript"/>, and <c>study.json</c> records
/// which task runs which cell so that <c>workbench status</c> can report on them.
/// </summary>
public sealed class SlurmBackend(ISlurmQueue queue, SlurmOptions options, string device, Action<string>? log = null)
{
    public const string ScriptFile = "slurm/array.sh";

    /// <returns>The submitted array, or null when every cell is already done.</returns>
    public SlurmArray? Submit(StudySpec spec, IReadOnlyList<GridCell> cells, string studyDirectory)
    {
        using var studyLock = StudyLock.Acquire(studyDirectory);
        var pending = cells.Where(c => !StudyCells.IsDone(studyDirectory, c)).ToList();
        foreach (var cell in pending) StudyCells.SupersedeIfStale(studyDirectory, cell, log);
        var manifest = RunManifest.Begin("run " + spec.Name + " --backend slurm", seed: 0, device: device);
        var done = cells.Except(pending).Select(c => new CellOutcome(c.Id, "skipped (DONE)", 0, 0)).ToList();
        if (pending.Count == 0)
        {
            StudyManifest.Write(studyDirectory, spec, manifest, cells, done);
            return null;
        }
        var script = Path.GetFullPath(Path.Combine(studyDirectory, ScriptFile));
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.WriteAllText(script, SlurmBatchScript.Render(spec.Name, studyDirectory, pending, WorkbenchProcess.CommandLine(), Environment.CurrentDirectory, options, device));
        var array = new SlurmArray(queue.Submit(script), script, [.. pending.Select(c => c.Id)]);
        StudyManifest.Write(studyDirectory, spec, manifest, cells, done, array);
        return array;
    }

    /// <summary>Polls the queue until no task of the array is pending or running.</summary>
    public void Wait(SlurmArray array, TimeSpan pollInterval)
    {
        while (queue.IsActive(array.JobId)) Thread.Sleep(pollInterval);
    }
}
