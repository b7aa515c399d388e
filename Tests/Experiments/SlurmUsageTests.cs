using System.Diagnostics;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Probing.Tests.Workbench;
using Probing.Workbench.Experiments;
using Probing.Workbench.Runs;

namespace Probing.Tests.Experiments;

/// <summary>
/// The Slurm backend as a cluster user meets it, against stand-ins for the Slurm commands (<see cref="FakeSlurm"/>):
/// resubmitting while cells are queued, the outcome of every task with Slurm's state, resources as #SBATCH lines,
/// refused values, and one log per run.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class SlurmUsageTests
{
    const string Spec = """
    { "name": "sweep", "runs": [ { "command": "pretrain", "grid": { "seed": [1, 2, 3] }, "options": { "preset": "tiny" } } ] }
    """;

    [Test]
    public void AResubmitWhileCellsArePendingOrRunningSubmitsNoneOfThemAndKeepsTheEarlierArray()
    {
        var (spec, cells, directory) = Study();
        var slurm = new FakeSlurm();
        var backend = new SlurmBackend(new SlurmCli(slurm.Bin), new SlurmOptions(), "cpu");
        var first = backend.Submit(spec, cells, directory).Array!;
        Assert.That(first.JobId, Is.EqualTo("77"));
        var firstScript = File.ReadAllText(first.Script);

        // Task 0 runs, task 1 waits; task 2 has left the queue without finishing its run.
        slurm.Queue("77", "0 RUNNING\n1 PENDING");
        var second = backend.Submit(spec, cells, directory);
        Assert.That(second.Array!.Cells, Is.EqualTo(new[] { cells[2].Id }));
        Assert.That(second.StillQueued.Keys, Is.EquivalentTo(new[] { cells[0].Id, cells[1].Id }));
        Assert.That(second.StillQueued[cells[0].Id], Is.EqualTo("job 77_0 RUNNING"));
        var submitted = File.ReadAllText(slurm.Submitted[1]);
        Assert.That(submitted, Does.Contain("#SBATCH --array=0-0\n").And.Contain($"'{Path.GetFullPath(Path.Combine(directory, cells[2].Id))}'"));
        Assert.That(submitted, Does.Not.Contain(Path.Combine(directory, cells[0].Id) + "'").And.Not.Contain(Path.Combine(directory, cells[1].Id) + "'"));

        // The earlier array's record and script are kept beside the new one.
        var arrays = StudyManifest.Read(directory).SlurmArrays;
        Assert.That(arrays.Select(a => a.JobId), Is.EqualTo(new[] { "77", "78" }));
        Assert.That(arrays[0].Cells, Is.EqualTo(cells.Select(c => c.Id)));
        Assert.That(File.ReadAllText(first.Script), Is.EqualTo(firstScript));
        Assert.That(second.Array.Script, Is.Not.EqualTo(first.Script));

        // Everything unfinished is queued somewhere: nothing is submitted.
        slurm.Queue("78", "0 PENDING");
        var third = backend.Submit(spec, cells, directory);
        Assert.That(third.Array, Is.Null);
        Assert.That(third.StillQueued, Has.Count.EqualTo(3));
        Assert.That(slurm.Submitted, Has.Count.EqualTo(2));
        Assert.That(StudyManifest.Read(directory).SlurmArrays, Has.Count.EqualTo(2));
        Assert.That(StudyStatus.Read(directory, new SlurmCli(slurm.Bin)).Select(s => s.State), Is.EqualTo(new[] { CellState.Running, CellState.Pending, CellState.Pending }));

        // Once Slurm has forgotten job 77 (purged: "Invalid job id"), its unfinished cells are submitted again; 78's stays queued.
        slurm.Queue("77", null);
        var fourth = backend.Submit(spec, cells, directory);
        Assert.That(fourth.Array!.Cells, Is.EqualTo(new[] { cells[0].Id, cells[1].Id }));
        Assert.That(fourth.Array.JobId, Is.EqualTo("79"));
    }

    [Test]
    public void ALocalRunKeepsTheRecordOfTheArraysSubmittedBefore()
    {
        var (spec, cells, directory) = Study();
        var slurm = new FakeSlurm();
        new SlurmBackend(new SlurmCli(slurm.Bin), new SlurmOptions(), "cpu").Submit(spec, cells, directory);
        new StudyRunner(new MarkingDone(), new NoProgress()).Run(spec, cells, directory, jobs: 1, threads: 1);
        Assert.That(StudyManifest.Read(directory).SlurmArrays.Select(a => a.JobId), Is.EqualTo(new[] { "77" }));
        Assert.That(StudyManifest.Read(directory).Outcomes.Values, Is.All.EqualTo("done"));
    }

    sealed class MarkingDone : ICellExecutor
    {
        public int Execute(GridCell cell, int threads, string logPath)
        {
            MarkDone(cell.Arguments[^1]);
            return 0;
        }
    }

    sealed class NoProgress : IStudyProgress
    {
        public void Started(GridCell cell) { }
        public void Finished(CellOutcome outcome, int done, int total) { }
    }

    [Test]
    public void WaitRecordsEveryTasksOutcomeWithItsSlurmState()
    {
        var (spec, cells, directory) = Study();
        var slurm = new FakeSlurm();
        var backend = new SlurmBackend(new SlurmCli(slurm.Bin), new SlurmOptions(), "cpu");
        backend.Submit(spec, cells, directory);
        MarkDone(Path.Combine(directory, cells[0].Id));
        slurm.Queue("77", "");
        slurm.Accounting("77", "77_0|COMPLETED|0:0\n77_1|FAILED|1:0\n77_2|TIMEOUT|0:15");

        var outcomes = backend.WaitAndRecord(spec, cells, directory, TimeSpan.FromMilliseconds(10));
        Assert.That(outcomes.Select(o => o.SlurmState), Is.EqualTo(new[] { "COMPLETED", "FAILED", "TIMEOUT" }));
        Assert.That(outcomes.Select(o => o.Status.Split(' ')[0]), Is.EqualTo(new[] { "done", "failed", "failed" }));

        var recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, StudyManifest.FileName)))!["outcomes"]!.AsArray()
            .ToDictionary(o => o!["id"]!.GetValue<string>(), o => o!);
        Assert.That(recorded[cells[1].Id]!["slurm_state"]!.GetValue<string>(), Is.EqualTo("FAILED"));
        Assert.That(recorded[cells[1].Id]!["slurm_exit_code"]!.GetValue<string>(), Is.EqualTo("1:0"));
        Assert.That(recorded[cells[1].Id]!["exit_code"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(recorded[cells[2].Id]!["slurm_state"]!.GetValue<string>(), Is.EqualTo("TIMEOUT"));
        Assert.That(recorded[cells[2].Id]!["slurm_task"]!.GetValue<string>(), Is.EqualTo("77_2"));
        Assert.That(recorded[cells[2].Id]!["status"]!.GetValue<string>(), Does.Contain("TIMEOUT").And.Contain(cells[2].Id + ".log"));

        // status shows the state while Slurm knows the job, and from study.json once it has forgotten it.
        var live = StudyStatus.Read(directory, new SlurmCli(slurm.Bin));
        Assert.That(live.Select(s => s.State), Is.EqualTo(new[] { CellState.Done, CellState.Failed, CellState.Failed }));
        Assert.That(live[2].Detail, Does.Contain("TIMEOUT"));
        slurm.Accounting("77", null);
        var recalled = StudyStatus.Read(directory, new SlurmCli(slurm.Bin));
        Assert.That(recalled[1].Detail, Does.Contain("Slurm FAILED"));
        Assert.That(recalled[2].Detail, Does.Contain("Slurm TIMEOUT"));
        // The report's list of unfinished runs names the state.
        Assert.That(StudyStatus.Describe(directory, [cells[1].Id, cells[2].Id]), Is.EqualTo(new[]
        {
            $"{cells[1].Id} ({recorded[cells[1].Id]!["status"]!.GetValue<string>()})",
            $"{cells[2].Id} ({recorded[cells[2].Id]!["status"]!.GetValue<string>()})",
        }));
    }

    [Test]
    public void TaskStatesAreReadInSacctsAndScontrolsFormats()
    {
        var slurm = new FakeSlurm();
        var cli = new SlurmCli(slurm.Bin);
        // sacct: a task cancelled by a user reads "CANCELLED by <uid>"; tasks not started yet are one line 77_[3-4].
        slurm.Accounting("77", "77_0|OUT_OF_MEMORY|0:125\n77_1|CANCELLED by 1000|0:15\n77_2|NODE_FAIL|0:0\n77_[3-4]|PENDING|0:0");
        Assert.That(cli.TaskStates("77"), Is.EquivalentTo(new Dictionary<int, SlurmTaskState>
        {
            [0] = new("OUT_OF_MEMORY", "0:125"), [1] = new("CANCELLED", "0:15"), [2] = new("NODE_FAIL", "0:0"), [3] = new("PENDING"), [4] = new("PENDING"),
        }));
        // Without accounting storage, scontrol (one line per task; a pending remainder as ArrayTaskId=2-3).
        slurm.Accounting("77", null);
        slurm.Controller("77", "JobId=78 JobName=sweep ArrayJobId=77 ArrayTaskId=0 JobState=FAILED Reason=NonZeroExitCode Dependency=(null) ExitCode=1:0\n"
            + "JobId=77 JobName=sweep ArrayJobId=77 ArrayTaskId=2-3 JobState=PENDING Reason=Resources ExitCode=0:0");
        Assert.That(cli.TaskStates("77"), Is.EquivalentTo(new Dictionary<int, SlurmTaskState> { [0] = new("FAILED", "1:0"), [2] = new("PENDING"), [3] = new("PENDING") }));
        // squeue -r lists each queued task on its own line.
        slurm.Queue("77", "1 RUNNING\n2 PENDING\n3 PENDING");
        Assert.That(cli.QueuedTasks("77"), Is.EquivalentTo(new Dictionary<int, string> { [1] = "RUNNING", [2] = "PENDING", [3] = "PENDING" }));
        Assert.That(((ISlurmQueue)cli).IsActive("77"), Is.True);
        slurm.Queue("77", null);
        Assert.That(((ISlurmQueue)cli).IsActive("77"), Is.False, "a purged job is not active");
    }

    [Test]
    public void ResourcesBecomeSbatchLinesAndCudaAsksForAGpu()
    {
        var (_, cells, directory) = Study();
        string Render(SlurmOptions options, string device) =>
            SlurmBatchScript.Render("sweep", directory, cells, ["workbench"], directory, options.Check(), device, Path.Combine(directory, "logs"));

        var script = Render(new SlurmOptions(Mem: "16G", Account: "proj-1", Qos: "high", SbatchArguments: ["--constraint=avx512", "--exclusive"]), "cuda");
        var directives = script.Split('\n').Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal)).ToList();
        Assert.That(directives, Is.SupersetOf(new[]
        {
            "#SBATCH --mem=16G", "#SBATCH --account=proj-1", "#SBATCH --qos=high", "#SBATCH --gres=gpu:1", "#SBATCH --constraint=avx512", "#SBATCH --exclusive",
        }));
        Assert.That(Render(new SlurmOptions(Gres: "gpu:a100:2"), "cuda").Split('\n').Where(l => l.Contains("--gres")), Is.EqualTo(new[] { "#SBATCH --gres=gpu:a100:2" }));
        Assert.That(Render(new SlurmOptions(SbatchArguments: ["--gpus-per-task=1"]), "cuda"), Does.Not.Contain("--gres"));
        Assert.That(Render(new SlurmOptions(), "cpu"), Does.Not.Contain("--gres").And.Not.Contain("--mem"));

        // Through the command line, into the script it submits.
        var slurm = new FakeSlurm();
        var specPath = Path.Combine(Directory.CreateTempSubdirectory("probing-slurm-spec-").FullName, "spec.json");
        File.WriteAllText(specPath, Spec);
        var study = Path.Combine(Directory.CreateTempSubdirectory("probing-slurm-cli-").FullName, "study");
        var (code, error) = WithPath(slurm.Bin, () => CliRunner.Run("run", specPath, "--out", study, "--backend", "slurm", "--mem", "4G", "--account", "proj",
            "--qos", "normal", "--gres", "gpu:1", "--sbatch-arg", "--constraint=avx512", "--sbatch-arg=--exclusive", "--cpus-per-task", "2"));
        Assert.That(code, Is.Zero, error);
        var submitted = File.ReadAllLines(slurm.Submitted.Single());
        Assert.That(submitted, Is.SupersetOf(new[]
        {
            "#SBATCH --mem=4G", "#SBATCH --account=proj", "#SBATCH --qos=normal", "#SBATCH --gres=gpu:1", "#SBATCH --constraint=avx512", "#SBATCH --exclusive",
            "#SBATCH --cpus-per-task=2",
        }));
    }

    [TestCase("--mem", "16 GB")]
    [TestCase("--mem", "lots")]
    [TestCase("--account", "my account")]
    [TestCase("--qos", "high;rm")]
    [TestCase("--gres", "gpu:")]
    [TestCase("--time", "4h")]
    [TestCase("--partition", "a b")]
    [TestCase("--sbatch-arg", "constraint=avx512")]
    [TestCase("--sbatch-arg", "--array=0-3")]
    [TestCase("--sbatch-arg", "--mem=4G")]
    [TestCase("--sbatch-arg", "--output=/tmp/x")]
    public void MalformedValuesAreRefusedWithOneLineBeforeAnythingIsSubmitted(string option, string value)
    {
        var slurm = new FakeSlurm();
        var specPath = Path.Combine(Directory.CreateTempSubdirectory("probing-slurm-spec-").FullName, "spec.json");
        File.WriteAllText(specPath, Spec);
        var study = Path.Combine(Directory.CreateTempSubdirectory("probing-slurm-cli-").FullName, "study");
        var (code, error) = WithPath(slurm.Bin, () => CliRunner.Run("run", specPath, "--out", study, "--backend", "slurm", $"{option}={value}"));
        Assert.That(code, Is.Not.Zero);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Contain(option).And.Contain(value.Split('=')[0]).And.Not.Contain("   at "));
        Assert.That(slurm.Submitted, Is.Empty);
        Assert.That(Directory.Exists(study), Is.False, "nothing is written");
    }

    [Test]
    public void SlurmOptionsWithTheLocalBackendAreRefused()
    {
        var specPath = Path.Combine(Directory.CreateTempSubdirectory("probing-slurm-spec-").FullName, "spec.json");
        File.WriteAllText(specPath, Spec);
        var (code, error) = CliRunner.Run("run", specPath, "--out", Path.Combine(Path.GetDirectoryName(specPath)!, "study"), "--mem", "4G");
        Assert.That(code, Is.Not.Zero);
        Assert.That(error.Trim(), Does.Contain("--mem applies to --backend slurm only"));
    }

    /// <summary>Slurm's output of a task goes, through the task's link, to the end of the run's own log, after the workbench's output.</summary>
    [Test]
    public void SlurmsOutputOfATaskLandsInTheRunsLog()
    {
        var (_, cells, directory) = Study();
        var logs = Path.Combine(directory, "slurm", "array-1");
        SlurmBatchScript.LinkTaskLogs(logs, cells, directory);
        var script = SlurmBatchScript.Render("sweep", directory, cells, ["/usr/bin/printf", "%s\\n"], directory, new SlurmOptions(), "cpu", logs);
        Assert.That(script, Does.Contain($"#SBATCH --output={logs}/%a.log\n"));
        var link = new FileInfo(Path.Combine(logs, "1.log"));
        Assert.That(link.LinkTarget, Is.EqualTo(Path.Combine("..", "..", cells[1].Id + ".log")), "a relative link: the study folder can move");
        var path = Path.Combine(directory, "array.sh");
        File.WriteAllText(path, script);

        // As slurmstepd does: the task's stdout and stderr are its --output file, opened for appending; then a notice of its own.
        var info = new ProcessStartInfo("/bin/bash") { ArgumentList = { "-c", $"exec >> '{logs}/1.log' 2>&1; bash '{path}'; echo 'slurmstepd: error: *** JOB 78 ON node1 CANCELLED AT 2026-01-01T00:00:00 DUE TO TIME LIMIT ***'" }, UseShellExecute = false };
        info.Environment["SLURM_ARRAY_TASK_ID"] = "1";
        info.Environment["SLURM_ARRAY_JOB_ID"] = "77";
        using (var process = Process.Start(info)!) process.WaitForExit();

        var log = File.ReadAllLines(Path.Combine(directory, cells[1].Id + ".log"));
        Assert.That(log[0], Does.StartWith("[slurm] job 77_1 on "));
        Assert.That(log.Skip(1).Take(cells[1].Arguments.Count + 4), Is.EqualTo(new[] { "--threads", "1", "--device", "cpu" }.Concat(cells[1].Arguments)));
        Assert.That(log[^1], Does.Contain("DUE TO TIME LIMIT"));
    }

    static (int, string) WithPath(string bin, Func<(int, string)> action)
    {
        var previous = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", bin + ":" + previous);
        try { return action(); }
        finally { Environment.SetEnvironmentVariable("PATH", previous); }
    }

    static (StudySpec, IReadOnlyList<GridCell>, string) Study()
    {
        var directory = Directory.CreateTempSubdirectory("probing-slurm-usage-").FullName;
        var path = Path.Combine(directory, "spec.json");
        File.WriteAllText(path, Spec);
        var spec = StudySpec.Read(path);
        var study = Path.Combine(directory, "study");
        return (spec, StudyGrid.Expand(spec, study, []), study);
    }

    static void MarkDone(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, RunFolder.DoneFile), "done");
    }
}
