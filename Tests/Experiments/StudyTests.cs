using NUnit.Framework;
using Probing.Training.Infrastructure;
using Probing.Workbench.Experiments;
using Probing.Workbench.Runs;

namespace Probing.Tests.Experiments;

public class StudyTests
{
    const string Spec = """
    {
      "name": "demo",
      "description": "two methods over three seeds, then one probe",
      "runs": [
        { "command": "finetune", "grid": { "method": ["standard", "r3f"], "seed": [1, 2, 3] },
          "options": { "task": "fine-foods" }, "set": { "learning_rate": 0.0002, "epochs": 1 } },
        { "name": "probe-base", "command": "probe", "options": { "tasks": ["spam-subjects", "brown-genre"], "random-reference": true } }
      ]
    }
    """;

    [Test]
    public void GridIsTheCartesianProductWithSharedOptionsAndOverrides()
    {
        var directory = TempDirectory();
        var cells = StudyGrid.Expand(Read(Spec), directory, ["steps=10"]);
        Assert.That(cells.Select(c => c.Id), Is.EqualTo(new[]
        {
            "finetune/method-standard_seed-1", "finetune/method-standard_seed-2", "finetune/method-standard_seed-3",
            "finetune/method-r3f_seed-1", "finetune/method-r3f_seed-2", "finetune/method-r3f_seed-3", "probe-base",
        }));
        Assert.That(cells[4].Arguments, Is.EqualTo(new[]
        {
            "finetune", "--method", "r3f", "--seed", "2", "--task", "fine-foods",
            "--set", "learning_rate=0.0002", "--set", "epochs=1", "--set", "steps=10",
            "--out", Path.Combine(directory, "finetune/method-r3f_seed-2"),
        }));
        Assert.That(cells[6].Arguments.Take(5), Is.EqualTo(new[] { "probe", "--tasks", "spam-subjects", "brown-genre", "--random-reference" }));
    }

    [Test]
    public void UnknownKeyInASpecNamesKeyAndFile()
    {
        var path = Path.Combine(TempDirectory(), "bad.json");
        File.WriteAllText(path, """{ "name": "x", "runs": [ { "command": "finetune", "seeds": [1] } ] }""");
        var error = Assert.Throws<InputError>(() => StudySpec.Read(path));
        Assert.That(error!.Message, Does.StartWith(path).And.Contain("seeds"));
    }

    [Test]
    public void ResumeSkipsFinishedRunsAndRedoesPartialOnes()
    {
        var directory = TempDirectory();
        var spec = Read(Spec);
        var cells = StudyGrid.Expand(spec, directory, []);
        MarkDone(Path.Combine(directory, cells[0].Id));
        Directory.CreateDirectory(Path.Combine(directory, cells[1].Id));   // interrupted: no DONE

        var executor = new FakeExecutor();
        var outcomes = new StudyRunner(executor, new NoProgress()).Run(spec, cells, directory, jobs: 2, threads: 2);

        Assert.That(executor.Executed, Is.EquivalentTo(cells.Skip(1).Select(c => c.Id)));
        Assert.That(executor.Threads.Distinct(), Is.EqualTo(new[] { 1 }), "two jobs share two cores");
        Assert.That(outcomes.Single(o => o.Id == cells[0].Id).Status, Does.StartWith("skipped"));
        Assert.That(outcomes.Count(o => o.Status == "done"), Is.EqualTo(cells.Count - 1));
        Assert.That(File.Exists(Path.Combine(directory, StudyRunner.ManifestFile)), Is.True);
        Assert.That(File.Exists(Path.Combine(directory, StudyLock.FileName)), Is.False, "the lock is released");
    }

    [Test]
    public void SeveralSpecsAreAllCheckedBeforeAnyRuns()
    {
        var directory = TempDirectory();
        var name = "first-" + Guid.NewGuid().ToString("N");
        var good = Path.Combine(directory, "good.json");
        File.WriteAllText(good, $$"""{ "name": "{{name}}", "runs": [ { "command": "finetune", "options": { "task": "fine-foods" }, "set": { "max_steps": 1 } } ] }""");
        var bad = Path.Combine(directory, "bad.json");
        File.WriteAllText(bad, """{ "name": "second", "runs": [ { "command": "finetune", "seeds": [1] } ] }""");

        var (exitCode, error) = global::Probing.Tests.Workbench.CliRunner.Run("run", good, bad);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error, Does.Contain(bad).And.Contain("seeds"));
        Assert.That(Directory.Exists(Path.Combine("results", name)), Is.False, "the good spec must not have started");
    }

    [Test]
    public void TwoSpecsWritingOneStudyFolderAreRefused()
    {
        var path = Path.Combine(TempDirectory(), "spec.json");
        File.WriteAllText(path, """{ "name": "same", "runs": [ { "command": "finetune", "options": { "task": "fine-foods" } } ] }""");
        var (exitCode, error) = global::Probing.Tests.Workbench.CliRunner.Run("run", path, path, "--dry-run");
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error, Does.Contain("same study folder"));
    }

    [Test]
    public void SecondRunnerOnTheSameStudyIsRefused()
    {
        var directory = TempDirectory();
        using var first = StudyLock.Acquire(directory);
        var error = Assert.Throws<InputError>(() => StudyLock.Acquire(directory));
        Assert.That(error!.Message, Does.Contain("another process is writing this study"));
    }

    [Test]
    public void LockOfADeadProcessIsTakenOver()
    {
        var directory = TempDirectory();
        File.WriteAllText(Path.Combine(directory, StudyLock.FileName), "999999999");
        using var taken = StudyLock.Acquire(directory);
        Assert.That(RunLock.ReadHolder(directory)!.Process.Pid, Is.EqualTo(Environment.ProcessId));
    }

    static StudySpec Read(string json)
    {
        var path = Path.Combine(TempDirectory(), "spec.json");
        File.WriteAllText(path, json);
        return StudySpec.Read(path);
    }

    static void MarkDone(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, RunFolder.DoneFile), "done");
    }

    static string TempDirectory() => Directory.CreateTempSubdirectory("probing-study-").FullName;

    sealed class FakeExecutor : ICellExecutor
    {
        public List<string> Executed { get; } = [];
        public List<int> Threads { get; } = [];

        public int Execute(GridCell cell, int threads, string logPath)
        {
            lock (Executed)
            {
                Executed.Add(cell.Id);
                Threads.Add(threads);
            }
            MarkDone(cell.Arguments[^1]);
            return 0;
        }
    }

    sealed class NoProgress : IStudyProgress
    {
        public void Started(GridCell cell) { }
        public void Finished(CellOutcome outcome, int done, int total) { }
    }
}

/// <summary>Every committed spec parses, and every command line its grid produces is accepted by the CLI's parser.</summary>
public class CommittedSpecTests
{
    static IEnumerable<string> Specs() =>
        Directory.GetFiles(Path.Combine(ProjectPaths.DataDir, "..", "experiments"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(Specs))]
    public void SpecExpandsIntoCommandLinesTheCliAccepts(string path)
    {
        var spec = StudySpec.Read(path);
        var cells = StudyGrid.Expand(spec, Path.Combine(Path.GetTempPath(), spec.Name), []);
        Assert.That(cells, Is.Not.Empty);
        foreach (var cell in cells)
        {
            var parse = global::Probing.Workbench.Cli.CreateRoot().Parse([.. cell.Arguments]);
            Assert.That(parse.Errors.Select(e => e.Message), Is.Empty, string.Join(' ', cell.Arguments));
        }
    }

    /// <summary>Planning checks every input of every cell (tasks, methods, nested options, the shipped base) and gives each cell the identity of its run.</summary>
    [TestCaseSource(nameof(Specs))]
    public void EveryCellOfASpecPlansToOneRunInItsFolder(string path)
    {
        var spec = StudySpec.Read(path);
        var directory = Path.Combine(Path.GetTempPath(), "probing-plan-" + Guid.NewGuid().ToString("N"), spec.Name);
        var cells = global::Probing.Workbench.Commands.RunCommand.PlanCells(path, StudyGrid.Expand(spec, directory, []), directory);
        Assert.That(cells.Where(c => c.Identity is null).Select(c => c.Id), Is.Empty);
        Assert.That(cells.Select(c => c.Identity!.Hash).Distinct().Count(), Is.EqualTo(cells.Count), "every cell is a different run");
        Assert.That(Directory.Exists(directory), Is.False, "planning writes nothing");
    }
}

/// <summary>
/// Every paper study has a second seed block, experiments/paper/replication/&lt;same file&gt;: the same
/// runs on seeds it shares with no other block (each seed + 1000), so a verdict can be checked on
/// seeds its tasks and settings were not chosen on.
/// </summary>
public class PaperSeedBlockTests
{
    const int Offset = 1000;
    static readonly string Paper = Path.Combine(ProjectPaths.DataDir, "..", "experiments", "paper");

    static IEnumerable<string> Studies() => Directory.GetFiles(Paper, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [TestCaseSource(nameof(Studies))]
    public void ReplicationBlockRunsTheSameCellsOnDisjointSeeds(string file)
    {
        var first = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Paper, file)))!.AsObject();
        var replicationPath = Path.Combine(Paper, "replication", file);
        Assert.That(File.Exists(replicationPath), Is.True, $"{file} has no replication block");
        var second = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(replicationPath))!.AsObject();
        Assert.That((string)second["name"]!, Is.EqualTo((string)first["name"]! + "-replication"));

        var seedsFirst = Seeds(first).ToList();
        var seedsSecond = Seeds(second).ToList();
        Assert.That(seedsFirst, Is.Not.Empty);
        Assert.That(seedsSecond, Is.EqualTo(seedsFirst.Select(s => s + Offset)), "every seed + 1000, in the same places");
        Assert.That(seedsSecond.Intersect(seedsFirst), Is.Empty);

        // Apart from name, description and seeds, the two blocks are the same runs.
        Assert.That(WithoutSeeds(second["runs"]!).ToJsonString(), Is.EqualTo(WithoutSeeds(first["runs"]!).ToJsonString()));
    }

    static IEnumerable<int> Seeds(System.Text.Json.Nodes.JsonObject spec) =>
        spec["runs"]!.AsArray().SelectMany(run => (run!["options"]?["seeds"] ?? run["grid"]?["seed"])?.AsArray().Select(s => (int)s!) ?? []);

    static System.Text.Json.Nodes.JsonNode WithoutSeeds(System.Text.Json.Nodes.JsonNode runs)
    {
        var copy = runs.DeepClone();
        foreach (var run in copy.AsArray())
        {
            (run!["options"] as System.Text.Json.Nodes.JsonObject)?.Remove("seeds");
            (run["grid"] as System.Text.Json.Nodes.JsonObject)?.Remove("seed");
        }
        return copy;
    }
}
