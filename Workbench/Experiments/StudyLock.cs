using System.Diagnostics;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Experiments;

/// <summary>
/// One <c>workbench run</c> per study folder at a time: a lock file holding the owner's process id.
/// A lock left by a process that no longer runs (a kill) is taken over.
/// </summary>
public sealed class StudyLock : IDisposable
{
    public const string FileName = ".lock";
    readonly string path;

    StudyLock(string path) => this.path = path;

    public static StudyLock Acquire(string studyDirectory)
    {
        Directory.CreateDirectory(studyDirectory);
        var path = Path.Combine(studyDirectory, FileName);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                using var writer = new StreamWriter(stream);
                writer.Write(Environment.ProcessId);
                return new StudyLock(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                var owner = ReadOwner(path);
                if (owner is { } pid && IsAlive(pid))
                    throw new InputError($"{studyDirectory}: another `workbench run` (process {pid}) is running this study; wait for it or stop it");
                File.Delete(path);   // stale: its owner is gone
            }
        }
        throw new InputError($"{path}: could not take the study lock");
    }

    public void Dispose()
    {
        if (File.Exists(path) && ReadOwner(path) == Environment.ProcessId) File.Delete(path);
    }

    static int? ReadOwner(string path) => int.TryParse(File.ReadAllText(path).Trim(), out var pid) ? pid : null;

    static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
    }
}
