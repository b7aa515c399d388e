using System.ComponentModel;
using System.Diagnostics;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Experiments;

/// <summary>What the workbench asks of Slurm: submit an array, and the state of its tasks.</summary>
public interface ISlurmQueue
{
    /// <returns>The job id.</returns>
    string Submit(string scriptPath);

    /// <summary>Array task index → Slurm state (PENDING, RUNNING, COMPLETED, FAILED, …) for the tasks Slurm still knows.</summary>
    IReadOnlyDictionary<int, string> TaskStates(string jobId);

    /// <summary>Whether any task of the job is still pending or running.</summary>
    bool IsActive(string jobId);
}

/// <summary>
/// <see cref="ISlurmQueue"/> through <c>sbatch</c>, <c>squeue</c> and <c>scontrol</c>. Without
/// accounting storage (<c>sacct</c>), finished tasks are known to <c>scontrol</c> only until
/// MinJobAge; the DONE markers are the lasting record.
/// </summary>
public sealed class SlurmCli : ISlurmQueue
{
    public string Submit(string scriptPath)
    {
        var (code, stdout, stderr) = Run("sbatch", "--parsable", scriptPath);
        if (code != 0) throw new InputError($"sbatch {scriptPath}: {FirstLine(stderr)}");
        return stdout.Trim().Split(';')[0];
    }

    public bool IsActive(string jobId)
    {
        var (code, stdout, stderr) = Run("squeue", "-h", "-j", jobId, "-o", "%T");
        // A job purged after MinJobAge is an "Invalid job id": finished.
        if (code != 0) return stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase) ? false : throw new InputError($"squeue -j {jobId}: {FirstLine(stderr)}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 0;
    }

    public IReadOnlyDictionary<int, string> TaskStates(string jobId)
    {
        var states = new Dictionary<int, string>();
        var (code, stdout, _) = Run("scontrol", "-o", "show", "job", jobId);
        if (code != 0) return states;
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1]);
            // A pending remainder of an array reads ArrayTaskId=2-5 (or 2-5%1): every index in it is pending.
            if (!fields.TryGetValue("ArrayTaskId", out var tasks) || !fields.TryGetValue("JobState", out var state)) continue;
            foreach (var index in Indices(tasks.Split('%')[0])) states[index] = state;
        }
        return states;
    }

    static IEnumerable<int> Indices(string ranges)
    {
        foreach (var range in ranges.Split(','))
        {
            var bounds = range.Split('-');
            if (!int.TryParse(bounds[0], out var first)) continue;
            var last = bounds.Length > 1 && int.TryParse(bounds[1], out var l) ? l : first;
            for (int i = first; i <= last; i++) yield return i;
        }
    }

    static (int Code, string Stdout, string Stderr) Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr);
        }
        catch (Win32Exception)
        {
            throw new InputError($"{program}: not found on PATH; the slurm backend needs the Slurm client commands (sbatch, squeue, scontrol)");
        }
    }

    static string FirstLine(string text) => text.Trim().Split('\n')[0];
}
