using System.Text.Json.Nodes;
using NUnit.Framework;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using Probing.Workbench.Experiments;

namespace Probing.Tests.Experiments;

/// <summary>A spec grid over config keys: each key becomes a <c>--set</c> override, checked before anything runs.</summary>
public class ConfigKeyGridTests
{
    const string Spec = """
    { "name": "lr-sweep", "runs": [ { "command": "finetune",
        "grid": { "method": ["r3f"], "learning_rate": [0.0001, 0.001], "method.eps": [1e-5, 0.0001] },
        "options": { "task": "fine-foods" }, "set": { "max_steps": 1 } } ] }
    """;

    [Test]
    public void ConfigKeysBecomeOverridesAndOptionsStayOptions()
    {
        var directory = TempDirectory();
        var cells = StudyGrid.Expand(Read(Spec), directory, []);
        Assert.That(cells, Has.Count.EqualTo(4));
        Assert.That(cells[1].Arguments, Is.EqualTo(new[]
        {
            "finetune", "--method", "r3f", "--set", "learning_rate=0.0001", "--set", "method.eps=0.0001",
            "--task", "fine-foods", "--set", "max_steps=1", "--out", Path.Combine(directory, cells[1].Id),
        }));
        Assert.That(cells[1].Id, Is.EqualTo("finetune/method-r3f_learning_rate-0.0001_method.eps-0.0001"));
        foreach (var cell in cells)
            Assert.That(global::Probing.Workbench.Cli.CreateRoot().Parse([.. cell.Arguments]).Errors, Is.Empty, string.Join(' ', cell.Arguments));
    }

    [Test]
    public void PlanningGivesEveryCellItsOwnValues()
    {
        var directory = TempDirectory();
        var path = Write(Spec);
        var cells = RunCommand.PlanCells(path, StudyGrid.Expand(StudySpec.Read(path), directory, []), directory);
        var configs = cells.Select(c => JsonNode.Parse(c.Identity!.ToJson())!["config"]!).ToList();
        Assert.That(configs.Select(c => c["learning_rate"]!.GetValue<double>()), Is.EqualTo(new[] { 1e-4, 1e-4, 1e-3, 1e-3 }));
        Assert.That(configs.Select(c => c["method"]!["eps"]!.GetValue<double>()), Is.EqualTo(new[] { 1e-5, 1e-4, 1e-5, 1e-4 }));
        Assert.That(configs.Select(c => c["max_steps"]!.GetValue<int>()), Is.All.EqualTo(1));
    }

    [Test]
    public void UnknownGridKeyIsOneLineNamingSpecAndKeyBeforeAnythingRuns()
    {
        var path = Write(Spec.Replace("\"learning_rate\"", "\"learning_rat\""));
        var (code, error) = global::Probing.Tests.Workbench.CliRunner.Run("run", path, "--out", Path.Combine(TempDirectory(), "study"));
        Assert.That(code, Is.EqualTo(global::Probing.Workbench.Cli.BadInputExitCode));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.StartWith($"error: {path}: ").And.Contain("'learning_rat' is neither an option of `finetune` nor a config key").And.Contain("learning_rate"));
    }

    [Test]
    public void DryRunPrintsTheOverrides()
    {
        var path = Write(Spec);
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try { Assert.That(global::Probing.Tests.Workbench.CliRunner.Run("run", path, "--dry-run", "--out", Path.Combine(TempDirectory(), "s")).ExitCode, Is.Zero); }
        finally { Console.SetOut(previous); }
        var lines = output.ToString().Trim().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(4));
        Assert.That(lines[3], Does.Contain("--set learning_rate=0.001 --set method.eps=0.0001"));
    }

    [Test]
    public void SlurmArrayTaskRunsTheOverrides()
    {
        var directory = TempDirectory();
        var cells = StudyGrid.Expand(Read(Spec), directory, []);
        var path = Path.Combine(directory, "array.sh");
        File.WriteAllText(path, SlurmBatchScript.Render("lr-sweep", directory, cells, ["/usr/bin/printf", "%s\\n"], directory, new SlurmOptions(), "cpu", Path.Combine(directory, "logs")));
        using var bash = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", [path]) { Environment = { ["SLURM_ARRAY_TASK_ID"] = "2" } })!;
        bash.WaitForExit();
        Assert.That(bash.ExitCode, Is.Zero);
        var printed = File.ReadAllLines(cells[2].Arguments[^1] + ".log");
        Assert.That(printed.Skip(4), Is.EqualTo(cells[2].Arguments));
        Assert.That(printed, Does.Contain("learning_rate=0.001"));
    }

    /// <summary>One cell actually run through the CLI: the run's recorded config holds the grid's values.</summary>
    [Test]
    public void ACellRunsWithItsValues()
    {
        var directory = TempDirectory();
        var cells = StudyGrid.Expand(Read(Spec), directory, []);
        var (code, error) = global::Probing.Tests.Workbench.CliRunner.Run([.. cells[3].Arguments, "--threads", "1", "--set", "eval_batch_size=256"]);
        Assert.That(code, Is.Zero, error);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(cells[3].Arguments[^1], "config.json")))!["config"]!;
        Assert.That(config["learning_rate"]!.GetValue<double>(), Is.EqualTo(1e-3));
        Assert.That(config["method"]!["eps"]!.GetValue<double>(), Is.EqualTo(1e-4));
    }

    static string Write(string json)
    {
        var path = Path.Combine(TempDirectory(), "spec.json");
        File.WriteAllText(path, json);
        return path;
    }

    static StudySpec Read(string json) => StudySpec.Read(Write(json));

    static string TempDirectory() => Directory.CreateTempSubdirectory("probing-keygrid-").FullName;
}
