using System.Diagnostics;
using NUnit.Framework;
using Probing.Workbench.Experiments;
using Probing.Workbench.Runs;

namespace Probing.Tests.Experiments;

/// <summary>The Slurm backend without Slurm: the generated array script run by bash, submission and status against a fake queue.</summary>
public class SlurmBackendTests
{
    const string Spec = """
    { "name": "sweep", "runs": [ { "command": "pretrain", "grid": { "seed": [1, 2, 3] }, "options": { "preset": "tiny" }, "set": { "note": "it's a test" } } ] }
    """;

    [Test]
    public void ArrayTaskIRunsCellIWithItsExactArguments()
    {
        var directory = TempDirectory();
        var cells = StudyGrid.Expand(ReadSpec(), directory, []);
        var script = SlurmBatchScript.Render("sweep", directory, cells, ["/usr/bin/printf", "%s\\n"], directory, new SlurmOptions("gpu", "01:00:00", 2), "cpu", Path.Combine(directory, "logs"));

        Assert.That(script, Does.Contain("#SBATCH --array=0-2\n").And.Contain("#SBATCH --partition=gpu\n").And.Contain("#SBATCH --time=01:00:00\n")
            .And.Contain("#SBATCH --cpus-per-task=2\n").And.Contain("#SBATCH --requeue\n"));
        var path = Path.Combine(directory, "array.sh");
        File.WriteAllText(path, script);
        for (int task = 0; task < cells.Count; task++)
        {
            Assert.That(RunTask(path, task), Is.Zero);
            var printed = File.ReadAllLines(cells[task].Arguments[^1] + ".log");
            Assert.That(printed, Is.EqualTo(new[] { "--threads", "2", "--device", "cpu" }.Concat(cells[task].Arguments)), $"task {task}");
        }
        Assert.That(RunTask(path, 3), Is.EqualTo(2), "no cell for task 3");
    }

    [Test]
    public void RequeuedTaskOfAFinishedCellDoesNothing()
    {
        var directory = TempDirectory();
        var cells = StudyGrid.Expand(ReadSpec(), directory, []);
        var path = Path.Combine(directory, "array.sh");
        File.WriteAllText(path, SlurmBatchScript.Render("sweep", directory, cells, ["/usr/bin/printf", "%s\\n"], directory, new SlurmOptions(), "cpu", Path.Combine(directory, "logs")));
        MarkDone(cells[1].Arguments[^1]);
        Assert.That(RunTask(path, 1), Is.Zero);
        Assert.That(File.Exists(cells[1].Arguments[^1] + ".log"), Is.False);
    }

    [Test]
    public void SubmissionSkipsDoneCellsAndStatusFollowsTheQueue()
    {
        var directory = TempDirectory();
        var spec = ReadSpec();
        var cells = StudyGrid.Expand(spec, directory, []);
        MarkDone(Path.Combine(directory, cells[0].Id));
        var queue = new FakeQueue();
        var array = new SlurmBackend(queue, new SlurmOptions(), "cpu").Submit(spec, cells, directory).Array!;

        Assert.That(array.JobId, Is.EqualTo("77"));
        Assert.That(array.Cells, Is.EqualTo(new[] { cells[1].Id, cells[2].Id }));
        Assert.That(File.ReadAllText(queue.Submitted!), Does.Contain("#SBATCH --array=0-1\n"));

        queue.States = new() { [0] = new("RUNNING"), [1] = new("PENDING") };
        Assert.That(StudyStatus.Read(directory, queue).Select(s => s.State), Is.EqualTo(new[] { CellState.Done, CellState.Running, CellState.Pending }));
        queue.States = new() { [1] = new("FAILED", "1:0") };
        MarkDone(Path.Combine(directory, cells[1].Id));
        Assert.That(StudyStatus.Read(directory, queue).Select(s => s.State), Is.EqualTo(new[] { CellState.Done, CellState.Done, CellState.Failed }));
    }

    [Test]
    public void NothingIsSubmittedWhenEveryCellIsDone()
    {
        var directory = TempDirectory();
        var spec = ReadSpec();
        var cells = StudyGrid.Expand(spec, directory, []);
        foreach (var cell in cells) MarkDone(Path.Combine(directory, cell.Id));
        var queue = new FakeQueue();
        Assert.That(new SlurmBackend(queue, new SlurmOptions(), "cpu").Submit(spec, cells, directory).Array, Is.Null);
        Assert.That(queue.Submitted, Is.Null);
    }

    static int RunTask(string script, int task)
    {
        var info = new ProcessStartInfo("/bin/bash") { ArgumentList = { script }, UseShellExecute = false };
        info.Environment["SLURM_ARRAY_TASK_ID"] = task.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["SLURM_CPUS_PER_TASK"] = "2";
        using var process = Process.Start(info)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    StudySpec ReadSpec()
    {
        var path = Path.Combine(TempDirectory(), "spec.json");
        File.WriteAllText(path, Spec);
        return StudySpec.Read(path);
    }

    static void MarkDone(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, RunFolder.DoneFile), "done");
    }

    static string TempDirectory() => Directory.CreateTempSubdirectory("probing-slurm-").FullName;

    sealed class FakeQueue : ISlurmQueue
    {
        public string? Submitted { get; private set; }
        public Dictionary<int, SlurmTaskState> States { get; set; } = [];

        public string Submit(string scriptPath)
        {
            Submitted = scriptPath;
            return "77";
        }

        public IReadOnlyDictionary<int, SlurmTaskState> TaskStates(string jobId) => States;
        public IReadOnlyDictionary<int, string> QueuedTasks(string jobId) => States.Where(s => s.Value.IsQueued).ToDictionary(s => s.Key, s => s.Value.State);
    }
}
