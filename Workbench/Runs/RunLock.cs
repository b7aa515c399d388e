using System.Text;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Runs;

/// <summary>
/// One writer per folder (a run folder, or a study folder for <c>workbench run</c>): a <c>.lock</c> file
/// holding the owner's host, PID, process start time and command line.
/// <para>
/// On Linux the exclusion is the kernel's: the owner holds an <c>flock</c> on the file, which the
/// kernel drops the moment the owner dies, however it dies (kill -9 included; a zombie has already
/// closed its files). A lock file nobody holds is stale and simply taken over, so a restart right after
/// a kill works. Where flock is unavailable, the recorded PID and start time decide: a dead PID, a
/// zombie, or a PID reused by a process that started at another time do not hold the lock.
/// </para>
/// Released by <see cref="Dispose"/>, which deletes the file.
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".lock";

    readonly string path;
    readonly FileStream stream;
    readonly string token;

    RunLock(string path, FileStream stream, string token) => (this.path, this.stream, this.token) = (path, stream, token);

    public string Path => path;

    /// <param name="folder">The folder to lock (created if missing).</param>
    /// <param name="what">How a refusal names what is locked, e.g. "run" or "study".</param>
    public static RunLock Acquire(string folder, string what)
    {
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(folder), FileName);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stream = new FileStream(Posix.OpenUnlocked(path, create: true), FileAccess.ReadWrite);
            try
            {
                var result = Posix.TryLock(stream.SafeFileHandle);
                if (result == Posix.LockResult.HeldByAnother) throw Busy(folder, what, ReadHolder(folder));
                if (result == Posix.LockResult.Unsupported && ReadHolder(folder) is { } holder && holder.Process != ProcessIdentity.Current && holder.Process.IsAlive())
                    throw Busy(folder, what, holder);
                var token = $"{ProcessIdentity.Current}\n{CommandLine()}\n";
                stream.SetLength(0);
                stream.Write(Encoding.UTF8.GetBytes(token));
                stream.Flush(flushToDisk: true);
                // The releaser deletes the file while holding it: if it did so after we opened it, the lock we hold is on a
                // deleted file and the path names another (or none). Only a lock on the file the path names counts.
                if (ReadText(path) == token) return new RunLock(path, stream, token);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
            stream.Dispose();
        }
        throw new InputError($"{path}: could not take the {what} lock (the file keeps changing); try again");
    }

    /// <summary>Who holds (or last held) the folder's lock, or null if no lock file is there.</summary>
    public static Holder? ReadHolder(string folder)
    {
        var text = ReadText(System.IO.Path.Combine(folder, FileName));
        if (text is null) return null;
        var lines = text.Split('\n');
        return ProcessIdentity.Parse(lines[0]) is { } process ? new Holder(process, lines.Length > 1 ? lines[1] : "") : null;
    }

    public sealed record Holder(ProcessIdentity Process, string CommandLine);

    public void Dispose()
    {
        try
        {
            if (ReadText(path) == token) File.Delete(path);
        }
        finally
        {
            stream.Dispose();
        }
    }

    static InputError Busy(string folder, string what, Holder? holder) => new(holder is null
        ? $"{folder}: another process is writing this {what}; wait for it or stop it"
        : $"{folder}: another process is writing this {what} (process {holder.Process.Pid} on {holder.Process.Host}: {holder.CommandLine}); wait for it or stop it");

    static string? ReadText(string path)
    {
        try
        {
            using var stream = new FileStream(Posix.OpenUnlocked(path, create: false), FileAccess.Read);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    static string CommandLine() => "workbench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)).ReplaceLineEndings(" ");
}
