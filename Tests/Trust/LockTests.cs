using System.Diagnostics;
using NUnit.Framework;
using Probing.Tests.Workbench;
using Probing.Training.Infrastructure;
using Probing.Workbench;
using Probing.Workbench.Experiments;
using Probing.Workbench.Runs;
using static Probing.Tests.Trust.TrustWorld;

namespace Probing.Tests.Trust;

/// <summary>One writer per run folder and per study; a lock whose holder is gone (dead, zombie, PID reused) is taken over at once.</summary>
public class LockTests
{
    [Test]
    public void ASecondWriterOnARunFolderIsRefused()
    {
        var (glue, output) = (RteOnlyGlue(), Path.Combine(Temp(), "run"));
        using (RunLock.Acquire(output, "run"))
        {
            var before = Snapshot(output);
            var (code, error) = CliRunner.Run(FineTune(BertCopy(), glue, output));
            Assert.That(code, Is.EqualTo(Cli.BadInputExitCode), error);
            AssertOneLine(error);
            Assert.That(error, Does.Contain("another process is writing this run").And.Contain($"process {Environment.ProcessId}"));
            Assert.That(Snapshot(output), Is.EqualTo(before));
        }
        Assert.That(CliRunner.Run(FineTune(BertCopy(), glue, output)).ExitCode, Is.Zero, "released: the same command now runs");
    }

    [Test]
    public void ALockFileLeftByAKilledProcessIsTakenOver()
    {
        var folder = Temp();
        using (var process = Process.Start(new ProcessStartInfo("sleep", "30")))
        {
            // What a holder killed with -9 leaves: the file naming it, and no kernel lock.
            File.WriteAllText(Path.Combine(folder, RunLock.FileName), $"{new ProcessIdentity(Environment.MachineName, process!.Id, 0)}\nworkbench finetune\n");
            process.Kill();
            process.WaitForExit();
        }
        using var taken = RunLock.Acquire(folder, "run");
        Assert.That(RunLock.ReadHolder(folder)!.Process, Is.EqualTo(ProcessIdentity.Current));
    }

    [Test]
    public void DeadZombieAndReusedProcessIdsAreNotAlive()
    {
        Assert.That(ProcessIdentity.Current.IsAlive(), Is.True);
        Assert.That((ProcessIdentity.Current with { StartTicks = ProcessIdentity.Current.StartTicks + 1 }).IsAlive(), Is.False, "the PID now belongs to a process that started at another time");
        Assert.That(new ProcessIdentity(Environment.MachineName, int.MaxValue - 1, 0).IsAlive(), Is.False, "no such process");

        // A zombie: a child whose parent (here `sleep`, exec'd by bash) never reaps it. The child outlives the
        // exec (0.5 s), so bash cannot reap it first (with `sleep 0` it sometimes did, and /proc had no entry).
        using var parent = Process.Start(new ProcessStartInfo("bash", ["-c", "sleep 0.5 & echo $!; exec sleep 20"]) { RedirectStandardOutput = true })!;
        var zombie = int.Parse(parent.StandardOutput.ReadLine()!);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.ReadAllText($"/proc/{zombie}/stat").Contains(") Z ") && DateTime.UtcNow < deadline) Thread.Sleep(20);
        var stat = File.ReadAllText($"/proc/{zombie}/stat");
        var start = long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19]);
        Assert.That(new ProcessIdentity(Environment.MachineName, zombie, start).IsAlive(), Is.False, "a zombie is dead");
        parent.Kill();
    }

    [Test]
    public void ASecondStudyRunnerIsRefused()
    {
        var directory = Temp();
        using var first = StudyLock.Acquire(directory);
        var error = Assert.Throws<InputError>(() => StudyLock.Acquire(directory));
        Assert.That(error!.Message, Does.Contain("another process is writing this study"));
    }

    /// <summary>
    /// kill -9 of <c>workbench run --jobs 2</c> while both cells train, then the same command at once:
    /// its workers died with it (nothing holds a run's lock), and the restart finishes the study.
    /// </summary>
    [Test, Category("Slow")]
    public void AStudyRestartedRightAfterItsRunnerWasKilledFinishes()
    {
        var (study, command, cells) = KillableStudy();
        IReadOnlyList<ProcessIdentity> workers;
        using (var runner = StartWhenTraining(command, cells, out workers))
        {
            Posix.Signal(runner.Id, Posix.SIGKILL);
            runner.WaitForExit();
        }
        using var restart = Process.Start(WorkbenchProcess.StartInfo(command))!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (workers.Any(w => w.IsAlive()) && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.That(workers.Where(w => w.IsAlive()), Is.Empty, "the workers died with their runner");

        Assert.That(restart.WaitForExit(TimeSpan.FromMinutes(3)), Is.True);
        Assert.That(restart.ExitCode, Is.Zero, File.ReadAllText(cells[0] + ".log"));
        Assert.That(StudyStatus.Read(study, null).Select(s => s.State), Is.All.EqualTo(CellState.Done));
    }

    /// <summary>SIGTERM to <c>workbench run</c>: passed on to its workers, waited for, the study lock released, exit 143; a rerun finishes.</summary>
    [Test, Category("Slow")]
    public void SigtermStopsTheWorkersAndReleasesTheStudy()
    {
        var (study, command, cells) = KillableStudy();
        using (var runner = StartWhenTraining(command, cells, out var workers))
        {
            Posix.Signal(runner.Id, Posix.SIGTERM);
            Assert.That(runner.WaitForExit(TimeSpan.FromMinutes(1)), Is.True);
            Assert.That(runner.ExitCode, Is.EqualTo(128 + Posix.SIGTERM));
            Assert.That(workers.Where(w => w.IsAlive()), Is.Empty, "the runner waited for its workers");
        }
        Assert.That(File.Exists(Path.Combine(study, StudyLock.FileName)), Is.False, "the study lock is released");
        Assert.That(cells.Where(RunFolder.IsFinished), Is.Empty, "stopped before finishing");
        Assert.That(CliRunner.Run(command).ExitCode, Is.Zero);
        Assert.That(StudyStatus.Read(study, null).Select(s => s.State), Is.All.EqualTo(CellState.Done));
    }

    static (string Study, string[] Command, List<string> Cells) KillableStudy()
    {
        var (glue, model, directory) = (RteOnlyGlue(), BertCopy(), Temp("probing-study-"));
        var spec = Path.Combine(directory, "spec.json");
        File.WriteAllText(spec, $$"""
        { "name": "killed", "runs": [ { "command": "finetune", "grid": { "seed": [1, 2] },
            "options": { "task": "rte", "data-dir": "{{glue}}", "model": "{{model}}" },
            "set": { "max_steps": 400, "batch_size": 2, "max_length": 24, "eval_every": 100, "checkpoint_every": 25 } } ] }
        """);
        var study = Path.Combine(directory, "study");
        return (study, ["run", spec, "--out", study, "--jobs", "2", "--threads", "2"], [.. new[] { "seed-1", "seed-2" }.Select(c => Path.Combine(study, "finetune", c))]);
    }

    /// <summary>Starts the runner and returns once both cells' workers have written a checkpoint.</summary>
    static Process StartWhenTraining(string[] command, List<string> cells, out IReadOnlyList<ProcessIdentity> workers)
    {
        var runner = Process.Start(WorkbenchProcess.StartInfo(command))!;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!cells.All(c => Directory.Exists(Path.Combine(c, "checkpoints"))) && DateTime.UtcNow < deadline && !runner.HasExited) Thread.Sleep(50);
        Assert.That(runner.HasExited, Is.False, "the runner still runs");
        workers = [.. cells.Select(c => RunLock.ReadHolder(c)!.Process)];
        Assert.That(workers.All(w => w.IsAlive()), Is.True);
        return runner;
    }
}
