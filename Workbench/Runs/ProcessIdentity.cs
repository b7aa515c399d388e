using System.Globalization;

namespace Probing.Workbench.Runs;

/// <summary>
/// A process as a lock file records it: host, PID and the kernel's start time of that PID. A PID alone
/// is not enough: after a kill the PID may linger as a zombie or be reused by an unrelated process; the
/// start time (clock ticks since boot, <c>/proc/&lt;pid&gt;/stat</c> field 22) tells them apart.
/// </summary>
public sealed record ProcessIdentity(string Host, int Pid, long StartTicks)
{
    public static ProcessIdentity Current { get; } = new(Environment.MachineName, Environment.ProcessId, StartTicksOf(Environment.ProcessId) ?? 0);

    /// <summary>
    /// Whether this process still runs: same host (another host's process cannot be checked and counts
    /// as alive), the PID exists, is not a zombie, and started at the recorded time.
    /// </summary>
    public bool IsAlive()
    {
        if (Host != Environment.MachineName) return true;
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(Pid);
                return !process.HasExited;
            }
            catch (ArgumentException) { return false; }
        }
        var stat = ReadStat(Pid);
        if (stat is null) return false;
        var (state, start) = stat.Value;
        return state is not ('Z' or 'X') && start == StartTicks;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host} {Pid} {StartTicks}");

    public static ProcessIdentity? Parse(string text)
    {
        var parts = text.Trim().Split(' ');
        return parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? new ProcessIdentity(parts[0], pid, start) : null;
    }

    static long? StartTicksOf(int pid) => ReadStat(pid)?.StartTicks;

    /// <summary>State and start time from <c>/proc/&lt;pid&gt;/stat</c>; null if the process does not exist.</summary>
    static (char State, long StartTicks)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // rest[0] is field 3 (state); field 22 (starttime) is rest[19].
        return rest.Length > 19 && long.TryParse(rest[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? (rest[0][0], start) : null;
    }
}
