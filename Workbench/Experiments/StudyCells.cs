using Probing.Workbench.Runs;

namespace Probing.Workbench.Experiments;

/// <summary>
/// A study's cells keyed by run identity: a cell counts as done only when its folder holds a finished
/// run of exactly the cell's identity, and a folder holding another run is stale. Used by the runner,
/// <c>status</c> and the reports, so a changed run is a new run and a stale one is never reported finished.
/// </summary>
public static class StudyCells
{
    /// <summary>
    /// Plans every cell's command line in this process (which checks all of its inputs) and records the
    /// identity of the run it makes in the cell's folder. A cell whose command makes no single run
    /// there keeps a null identity.
    /// </summary>
    /// <param name="plan">Plans a command line; throws an <see cref="Training.Infrastructure.InputError"/> for a bad one.</param>
    public static IReadOnlyList<GridCell> Plan(IReadOnlyList<GridCell> cells, string studyDirectory, Func<IReadOnlyList<string>, IReadOnlyList<RunPlan>> plan) =>
        [.. cells.Select(cell =>
        {
            IReadOnlyList<RunPlan> runs;
            try
            {
                runs = plan(cell.Arguments);
            }
            catch (Training.Infrastructure.InputError error)
            {
                throw new Training.Infrastructure.InputError($"{cell.Id} (workbench {string.Join(' ', cell.Arguments)}): {error.Message}", error);
            }
            var folder = Path.GetFullPath(Path.Combine(studyDirectory, cell.Id));
            return runs.Count == 1 && Path.GetFullPath(runs[0].Folder) == folder ? cell with { Identity = runs[0].Identity } : cell;
        })];

    public static bool IsDone(string studyDirectory, GridCell cell)
    {
        var folder = Path.Combine(studyDirectory, cell.Id);
        return cell.Identity is null ? RunFolder.IsFinished(folder) : RunFolder.IsFinished(folder, cell.Identity);
    }

    /// <summary>Moves a cell folder holding another run (or files but no run) to <c>.superseded/</c>; the cell then runs anew.</summary>
    public static void SupersedeIfStale(string studyDirectory, GridCell cell, Action<string>? log)
    {
        if (cell.Identity is null) return;
        var folder = Path.Combine(studyDirectory, cell.Id);
        var inspection = RunFolder.Inspect(folder, cell.Identity);
        if (inspection.Contents is not (RunFolder.Contents.OtherRun or RunFolder.Contents.NotARun)) return;
        using (RunLock.Acquire(folder, "run")) { }
        var moved = RunFolder.Supersede(folder);
        var why = inspection.Differences.Count > 0 ? $"its run differs in {string.Join("; ", inspection.Differences.Take(3))}" : "it held no run of this study";
        log?.Invoke($"{cell.Id}: {why}; moved to {Path.GetRelativePath(studyDirectory, moved)}, the cell runs anew");
    }

    public enum Standing { Current, Stale, NotInStudy }

    /// <summary>
    /// Whether a run folder under a study is one of its current results: with a study manifest that
    /// records identities, a folder is current when the manifest lists it as a cell and it holds that
    /// cell's identity, stale when it holds another run, and not in the study when the manifest does not
    /// list it. Without such a manifest (an older study, or a plain folder of runs), every folder is current.
    /// </summary>
    public static Func<string, Standing> Classifier(string studyDirectory)
    {
        var path = Path.Combine(studyDirectory, StudyManifest.FileName);
        if (!File.Exists(path)) return _ => Standing.Current;
        var cells = StudyManifest.Read(studyDirectory).Identities;
        if (cells.Count == 0 || cells.Values.All(v => v is null)) return _ => Standing.Current;
        var byFolder = cells.ToDictionary(c => Path.GetFullPath(Path.Combine(studyDirectory, c.Key)), c => c.Value);
        return runFolder =>
        {
            if (!byFolder.TryGetValue(Path.GetFullPath(runFolder), out var hash)) return Standing.NotInStudy;
            return hash is null || RunIdentity.Read(runFolder)?.Hash == hash ? Standing.Current : Standing.Stale;
        };
    }
}
