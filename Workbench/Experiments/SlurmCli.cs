using System.ComponentModel;
using System.Diagnostics;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Experiments;

/// <summary>What Slurm says about one array task: its state (PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, …) and, once it ended, its exit code (code:signal).</summary>
public sealed record SlurmTaskState(string State, string? ExitCode = null)
{
    /// <summary>Pending or running (or about to be): the task may still write its run.</summary>
    public bool IsQueued => State is "PENDING" or "RUNNING" or "COMPLETING" or "CONFIGURING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED"
        or "SUSPENDED" or "RESIZING" or "STAGE_OUT" or "SIGNALING" or "STOPPED" or "RESV_DEL_HOLD";

    public override string ToString() => ExitCode is null ? State : $"{State}, exit {ExitCode}";
}

/// <summary>What the workbench asks of Slurm: submit an array, and the state of its tasks.</summary>
public interface ISlurmQueue
{
    /// <returns>The job id.</returns>
    string Submit(string scriptPath);

    /// <summary>Array task index → state of the tasks still pending or running (squeue).</summary>
    IReadOnlyDictionary<int, string> QueuedTasks(string jobId);

    /// <summary>Array task index → state of every task Slurm still knows, ended ones with their exit code (sacct, else scontrol).</summary>
    IReadOnlyDictionary<int, SlurmTaskState> TaskStates(string jobId);

    /// <summary>Whether any task of the job is still pending or running.</summary>
    bool IsActive(string jobId) => QueuedTasks(jobId).Count > 0;
}

/// <summary>
/// <see cref="ISlurmQueue"/> through <c>sbatch</c>, <c>squeue</c>, <c>sacct</c> and <c>scontrol</c>.
/// Ended tasks are read from accounting (<c>sacct</c>); without accounting storage, <c>scontrol</c>
/// knows them until MinJobAge. The DONE markers and the outcomes in <c>study.json</c> are the lasting record.
/// </summary>
/// <param name="programs">Where the Slurm commands are (null: found on PATH).</param>
public sealed class SlurmCli(string? programs = null) : ISlurmQueue
{
    public string Submit(string scriptPath)
    {
        var (code, stdout, stderr) = Run("sbatch", "--parsable", scriptPath);
        if (code != 0) throw new InputError($"sbatch {scriptPath}: {FirstLine(stderr)}");
        // --parsable prints "jobid" or "jobid;cluster".
        var jobId = stdout.Trim().Split(';')[0];
        if (!jobId.All(char.IsAsciiDigit) || jobId.Length == 0) throw new InputError($"sbatch {scriptPath}: expected a job id, got '{FirstLine(stdout)}'");
        return jobId;
    }

    public IReadOnlyDictionary<int, string> QueuedTasks(string jobId)
    {
        // -r: one line per array task, pending ones too; %K is the array index, %T the state.
        var (code, stdout, stderr) = Run("squeue", "-h", "-r", "-j", jobId, "-o", "%K %T");
        var tasks = new Dictionary<int, string>();
        // A job purged after MinJobAge is an "Invalid job id": nothing of it is queued.
        if (code != 0) return stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase) ? tasks : throw new InputError($"squeue -j {jobId}: {FirstLine(stderr)}");
        foreach (var line in Lines(stdout))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2) continue;
            foreach (var index in Indices(fields[0])) tasks[index] = fields[1];
        }
        return tasks;
    }

    public IReadOnlyDictionary<int, SlurmTaskState> TaskStates(string jobId)
    {
        var fromAccounting = Accounting(jobId);
        return fromAccounting.Count > 0 ? fromAccounting : Controller(jobId);
    }

    /// <summary>
    /// <c>sacct -n -P -X</c>: one line per task (the latest attempt of a requeued one), <c>JobID|State|ExitCode</c> with
    /// JobID <c>77_3</c>, or <c>77_[4-7]</c> for tasks not started yet, and State possibly "CANCELLED by 1000".
    /// Empty where accounting storage is disabled.
    /// </summary>
    Dictionary<int, SlurmTaskState> Accounting(string jobId)
    {
        var states = new Dictionary<int, SlurmTaskState>();
        int code;
        string stdout;
        try { (code, stdout, _) = Run("sacct", "-n", "-P", "-X", "-j", jobId, "-o", "JobID,State,ExitCode"); }
        catch (InputError) { return states; } // no sacct on PATH: scontrol answers
        if (code != 0) return states;
        foreach (var line in Lines(stdout))
        {
            var fields = line.Split('|');
            if (fields.Length < 3) continue;
            var id = fields[0].Split('_', 2);
            if (id.Length != 2 || id[0] != jobId) continue;
            var state = fields[1].Split(' ')[0];
            foreach (var index in Indices(id[1].Trim('[', ']'))) states[index] = new SlurmTaskState(state, state == "PENDING" ? null : fields[2]);
        }
        return states;
    }

    /// <summary><c>scontrol -o show job</c>: one line per task with ArrayTaskId=N (2-5 for a pending remainder), JobState and ExitCode.</summary>
    Dictionary<int, SlurmTaskState> Controller(string jobId)
    {
        var states = new Dictionary<int, SlurmTaskState>();
        var (code, stdout, _) = Run("scontrol", "-o", "show", "job", jobId);
        if (code != 0) return states;
        foreach (var line in Lines(stdout))
        {
            var fields = line.Split(' ').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1]);
            if (!fields.TryGetValue("ArrayTaskId", out var tasks) || !fields.TryGetValue("JobState", out var state)) continue;
            var exitCode = state == "PENDING" ? null : fields.GetValueOrDefault("ExitCode");
            foreach (var index in Indices(tasks)) states[index] = new SlurmTaskState(state, exitCode);
        }
        return states;
    }

    static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The indices of "3", "2-5", "2-5%1" or "1,3-4".</summary>
    static IEnumerable<int> Indices(string ranges)
    {
        foreach (var range in ranges.Split('%')[0].Split(','))
        {
            var bounds = range.Split('-');
            if (!int.TryParse(bounds[0], out var first)) continue;
            var last = bounds.Length > 1 && int.TryParse(bounds[1], out var l) ? l : first;
            for (int i = first; i <= last; i++) yield return i;
        }
    }

    (int Code, string Stdout, string Stderr) Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(programs is null ? program : Path.Combine(programs, program)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
            throw new InputError($"{program}: not found on PATH; the slurm backend needs the Slurm client commands (sbatch, squeue, sacct or scontrol)");
        }
    }

    static string FirstLine(string text) => text.Trim().Split('\n')[0];
}
