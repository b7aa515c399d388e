using System.Runtime.InteropServices;

namespace Probing.Training.Infrastructure;

/// <summary>
/// The few libc calls .NET does not expose: fsync of a folder (so a rename survives a power cut),
/// flock (a lock the kernel drops when its holder dies, however it dies), signals to another
/// process, and a parent-death signal for worker processes. Linux only; elsewhere each call is
/// a no-op or reports "unsupported", and the callers fall back to what .NET offers.
/// </summary>
public static class Posix
{
    public const int SIGINT = 2, SIGKILL = 9, SIGTERM = 15;
    const int O_RDONLY = 0, O_RDWR = 2, O_CREAT = 0x40, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;
    const int EACCES = 13;
    const int LOCK_EX = 2, LOCK_NB = 4;
    const int EWOULDBLOCK = 11, EINTR = 4;
    const int PR_SET_PDEATHSIG = 1;

    [DllImport("libc", SetLastError = true)] static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);
    [DllImport("libc", SetLastError = true)] static extern int fsync(int fd);
    [DllImport("libc", SetLastError = true)] static extern int close(int fd);
    [DllImport("libc", SetLastError = true)] static extern int flock(int fd, int operation);
    [DllImport("libc", SetLastError = true)] static extern int kill(int pid, int signal);
    [DllImport("libc", SetLastError = true)] static extern int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
    [DllImport("libc")] static extern int getppid();

    /// <summary>Flushes a folder's entries (new, renamed and deleted names) to disk. Best effort: a file system that cannot is left as it is.</summary>
    public static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0) return;
        try { fsync(fd); }
        finally { close(fd); }
    }

    public enum LockResult { Taken, HeldByAnother, Unsupported }

    /// <summary>
    /// Opens a lock file without the advisory lock .NET takes on every file it opens on Unix (which
    /// would make the holder's own lock, and any reader of the file, fail): the caller locks it with
    /// <see cref="TryLock"/>. Errors read like .NET's ("reason : 'path'").
    /// </summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenUnlocked(string path, bool create)
    {
        if (!OperatingSystem.IsLinux())
            return File.OpenHandle(path, create ? FileMode.OpenOrCreate : FileMode.Open, create ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var fd = open(path, (create ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC, 0b110_100_100);
        if (fd >= 0) return new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        var errno = Marshal.GetLastPInvokeError();
        if (errno == EACCES) throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
        if (errno == 2) throw new FileNotFoundException($"Could not find file '{path}'.", path);
        throw new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} : '{path}'");
    }

    /// <summary>Takes an exclusive, non-blocking flock on an open file; the kernel releases it when the file is closed or the process ends.</summary>
    public static LockResult TryLock(SafeHandle file)
    {
        if (!OperatingSystem.IsLinux()) return LockResult.Unsupported;
        var fd = (int)file.DangerousGetHandle();
        while (true)
        {
            if (flock(fd, LOCK_EX | LOCK_NB) == 0) return LockResult.Taken;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR) continue;
            return errno == EWOULDBLOCK ? LockResult.HeldByAnother : LockResult.Unsupported;
        }
    }

    /// <summary>Sends a signal to a process; false if it no longer exists.</summary>
    public static bool Signal(int pid, int signal) => OperatingSystem.IsLinux() && kill(pid, signal) == 0;

    /// <summary>
    /// Asks the kernel to kill this process when its parent dies (a worker must not outlive the
    /// runner that started it, or it would hold its run's lock against the runner's restart).
    /// Returns false when the parent is already gone.
    /// </summary>
    public static bool DieWithParent(int expectedParent)
    {
        if (!OperatingSystem.IsLinux()) return true;
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        // The parent may have died before the request: then this process was already re-parented.
        return getppid() == expectedParent;
    }
}
