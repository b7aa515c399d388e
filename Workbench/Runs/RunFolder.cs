using System.Globalization;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Runs;

/// <summary>
/// A run's folder: <c>config.json</c> (the run's <see cref="RunIdentity"/>), <c>manifest.json</c>, its
/// own outputs, and a <c>DONE</c> marker written last. While a process writes it, the folder holds
/// that process's <see cref="RunLock"/>.
/// <para>
/// A folder is reused only for exactly the run asked for: a finished run of the same identity is read
/// back, an unfinished one resumed; a folder holding another run is refused with the keys that differ,
/// unless the caller asks for a new run (<c>--force-new</c>), which moves the old one to
/// <c>&lt;parent&gt;/.superseded/</c>. Everything is checked before anything is written.
/// </para>
/// </summary>
public sealed class RunFolder : IDisposable
{
    public const string ConfigFile = "config.json";
    public const string ManifestFile = "manifest.json";
    public const string MetricsFile = "metrics.json";
    public const string DoneFile = "DONE";
    /// <summary>Where replaced runs go, beside the run folder: never read as results.</summary>
    public const string SupersededFolder = ".superseded";

    /// <summary>What a folder holds, for the identity a command would run.</summary>
    public enum Contents { Nothing, SameRunUnfinished, SameRunFinished, OtherRun, NotARun }

    /// <summary>The folder's contents and, for <see cref="Contents.OtherRun"/>, the keys that differ.</summary>
    public sealed record Inspection(Contents Contents, IReadOnlyList<string> Differences);

    readonly RunLock runLock;
    readonly RunManifest begun;
    RunManifest? finished;

    RunFolder(string path, RunLock runLock, RunManifest begun) => (Path, this.runLock, this.begun) = (path, runLock, begun);

    public string Path { get; }
    public bool IsDone => System.IO.File.Exists(File(DoneFile));
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public static bool IsFinished(string path) => System.IO.File.Exists(System.IO.Path.Combine(path, DoneFile));

    /// <summary>Whether <paramref name="path"/> holds a finished run of exactly <paramref name="identity"/>.</summary>
    public static bool IsFinished(string path, RunIdentity identity) => Inspect(path, identity).Contents == Contents.SameRunFinished;

    /// <summary>Reads what the folder holds; writes nothing.</summary>
    public static Inspection Inspect(string path, RunIdentity identity)
    {
        if (System.IO.File.Exists(path)) return new(Contents.NotARun, []);
        if (!Directory.Exists(path)) return new(Contents.Nothing, []);
        var recorded = RunIdentity.Read(path);
        if (recorded is null)
        {
            var entries = Directory.EnumerateFileSystemEntries(path).Select(System.IO.Path.GetFileName)
                .Where(name => name != RunLock.FileName && !AtomicFile.IsLeftover(name!));
            return new(entries.Any() ? Contents.NotARun : Contents.Nothing, []);
        }
        if (!recorded.SameRunAs(identity)) return new(Contents.OtherRun, identity.DifferencesFrom(recorded));
        return new(IsFinished(path) ? Contents.SameRunFinished : Contents.SameRunUnfinished, []);
    }

    /// <summary>
    /// Refuses, without writing anything, a folder that cannot take this run: one that is not a run
    /// folder, or (without <paramref name="forceNew"/>) one holding another run. Returns what it holds.
    /// </summary>
    public static Contents Check(string path, RunIdentity identity, bool forceNew)
    {
        var inspection = Inspect(path, identity);
        if (inspection.Contents == Contents.NotARun)
            throw InputError.InFile(System.IO.Path.GetFullPath(path), System.IO.File.Exists(path)
                ? "is a file, not a run folder; choose another --out"
                : $"holds files but no run ({ConfigFile} is missing), so it is not a run folder; choose another --out");
        if (inspection.Contents == Contents.OtherRun && !forceNew)
            throw InputError.InFile(System.IO.Path.GetFullPath(path),
                $"holds another run than the one asked for (differs in {Describe(inspection.Differences)}); choose another --out, or pass --force-new to move the old run to {System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!, SupersededFolder)}/ and start afresh");
        return inspection.Contents;
    }

    /// <summary>
    /// Runs <paramref name="plan"/> in its folder: a finished run of the same identity is left as it is
    /// (its results are read back by the caller); otherwise the folder is locked, a replaced run moved
    /// aside (<paramref name="forceNew"/>), the run started or resumed, and DONE written when it returns.
    /// </summary>
    /// <returns>True if this call ran (or resumed) the run, false if it was already finished.</returns>
    public static bool Execute(RunPlan plan, bool forceNew, Action<string>? log = null)
    {
        var contents = Check(plan.Folder, plan.Identity, forceNew);
        if (contents == Contents.SameRunFinished && !forceNew) return false;
        using var run = Open(plan, forceNew, log);
        if (run is null) return false;
        plan.Execute(run);
        run.MarkDone();
        return true;
    }

    /// <summary>
    /// Locks the folder and prepares it for writing: a replaced run is moved aside, leftovers of a
    /// killed writer are removed, <c>config.json</c> is written for a new run, and the manifest begun
    /// (keeping the earlier processes of a resumed run). Null if, under the lock, the run turned out finished.
    /// </summary>
    public static RunFolder? Open(RunPlan plan, bool forceNew, Action<string>? log = null)
    {
        var path = System.IO.Path.GetFullPath(plan.Folder);
        var created = !Directory.Exists(path);
        var runLock = RunLock.Acquire(path, "run");
        try
        {
            // Checked again under the lock: another process may have finished or replaced the run meanwhile.
            var contents = Check(path, plan.Identity, forceNew);
            if (contents == Contents.SameRunFinished && !forceNew)
            {
                runLock.Dispose();
                return null;
            }
            if (forceNew && contents != Contents.Nothing)
            {
                var moved = Supersede(path);
                log?.Invoke($"{path}: the run that was here moved to {moved}");
                runLock.Dispose();
                runLock = RunLock.Acquire(path, "run");
                created = true;
                contents = Contents.Nothing;
            }
            AtomicFile.RemoveLeftovers(path);
            if (contents == Contents.Nothing) AtomicFile.WriteAllText(System.IO.Path.Combine(path, ConfigFile), plan.Identity.ToJson());
            var manifest = RunManifest.Begin(plan.Command, plan.Seed, TorchRuntime.DeviceName);
            var run = new RunFolder(path, runLock, manifest);
            var previous = run.WriteManifest(manifest);
            if (previous is not null && previous.CodeVersion != manifest.CodeVersion)
                log?.Invoke($"{path}: resuming a run started by code version {previous.Segments()[0].CodeVersion} with {manifest.CodeVersion} (manifest.json lists every process under earlier_segments)");
            return run;
        }
        catch
        {
            runLock.Dispose();
            // A folder this call created holds nothing of value yet: leave none behind to block a rerun.
            if (created && Directory.Exists(path) && !System.IO.File.Exists(System.IO.Path.Combine(path, ManifestFile)))
                TryDelete(path);
            throw;
        }
    }

    /// <summary>Moves a run folder to <c>&lt;parent&gt;/.superseded/&lt;name&gt;-&lt;UTC time&gt;</c>; returns where.</summary>
    public static string Supersede(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var parent = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, SupersededFolder);
        Directory.CreateDirectory(parent);
        var target = System.IO.Path.Combine(parent, System.IO.Path.GetFileName(full) + "-" + DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture));
        Directory.Move(full, target);
        Posix.FsyncDirectory(parent);
        var staleLock = System.IO.Path.Combine(target, RunLock.FileName);
        if (System.IO.File.Exists(staleLock)) System.IO.File.Delete(staleLock);
        return target;
    }

    /// <summary>Writes the manifest, keeping the earlier processes of a resumed run (<see cref="RunManifest.EarlierSegments"/>); returns the one it replaced.</summary>
    public RunManifest? WriteManifest(RunManifest manifest)
    {
        var path = File(ManifestFile);
        var previous = System.IO.File.Exists(path) ? Json.Read<RunManifest>(path) : null;
        Json.Write(path, previous is null ? manifest : manifest.After(previous));
        return previous;
    }

    /// <summary>The manifest of this process as finished now (the same one on every call); written by <see cref="MarkDone"/>.</summary>
    public RunManifest Finish() => finished ??= begun.Finish();

    public void WriteMetrics<T>(T metrics) => Json.Write(File(MetricsFile), metrics);

    public void MarkDone()
    {
        WriteManifest(Finish());
        AtomicFile.WriteAllText(File(DoneFile), DateTimeOffset.UtcNow.ToString("O") + "\n");
    }

    public void Dispose() => runLock.Dispose();

    static string Describe(IReadOnlyList<string> differences) =>
        differences.Count <= 4 ? string.Join("; ", differences) : string.Join("; ", differences.Take(4)) + $"; and {differences.Count - 4} more";

    static void TryDelete(string path)
    {
        try { Directory.Delete(path, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}

/// <summary>
/// A run a command is about to make, resolved and validated before anything is written: its folder,
/// identity, the manifest's command and seed, and what executing it writes into the open folder
/// (results and metrics; <see cref="RunFolder.Execute"/> writes config, manifest and DONE).
/// </summary>
public sealed record RunPlan(string Folder, RunIdentity Identity, string Command, int Seed, Action<RunFolder> Execute);
