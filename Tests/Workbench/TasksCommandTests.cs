using System.Text.Json.Nodes;
using NUnit.Framework;
using Probing.Workbench;
using Spectre.Console;

namespace Probing.Tests.Workbench;

/// <summary><c>tasks</c> for terminals and scripts; options a command ignores are not offered.</summary>
[NonParallelizable]
public class TasksCommandTests
{
    /// <summary>Runs a command line with stdout captured and Spectre rendering at <paramref name="width"/> columns.</summary>
    static (int Code, string Output) Run(int width, params string[] args)
    {
        var output = new StringWriter();
        var (previousOut, previousConsole) = (Console.Out, AnsiConsole.Console);
        Console.SetOut(output);
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        AnsiConsole.Profile.Width = width;
        try
        {
            return (Cli.CreateRoot().Parse(args).Invoke(), output.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            AnsiConsole.Console = previousConsole;
        }
    }

    static string Glue => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "Fixtures", "glue");

    [Test]
    public void TableFitsOneHundredColumns()
    {
        var (code, output) = Run(100, "tasks", "--data-dir", Glue);
        Assert.That(code, Is.Zero);
        var lines = output.Split('\n');
        Assert.That(lines.Select(l => l.TrimEnd().Length).Max(), Is.LessThanOrEqualTo(100), lines.MaxBy(l => l.TrimEnd().Length));
        Assert.That(lines.Count(l => l.Contains("fine-foods", StringComparison.Ordinal)), Is.EqualTo(1), "one task, one line: no cell wraps\n" + output);
        Assert.That(output, Does.Contain("rte-proxy").And.Contain("mnli"));
    }

    [Test]
    public void CsvHasAHeaderAndOneRowPerTask()
    {
        var (code, output) = Run(100, "tasks", "--data-dir", Glue, "--format", "csv");
        Assert.That(code, Is.Zero);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.That(lines[0], Does.StartWith("task,kind,stands_in_for,train,dev,test,labels,metric,majority_dev"));
        var width = lines[0].Split(',').Length;
        Assert.That(lines.Skip(1).Select(l => l.Split(',').Length), Is.All.EqualTo(width), "no field holds a comma");
        var mnli = lines.Single(l => l.StartsWith("mnli,", StringComparison.Ordinal)).Split(',');
        Assert.That(mnli[3], Is.EqualTo("2"), "MNLI's train examples in the fixture");
        Assert.That(lines.Count(l => l.StartsWith("fine-foods,", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public void JsonHoldsNumbersAsNumbers()
    {
        var (code, output) = Run(100, "tasks", "--format", "json");
        Assert.That(code, Is.Zero);
        var root = JsonNode.Parse(output)!;
        var fineFoods = root["tasks"]!.AsArray().Single(t => t!["task"]!.GetValue<string>() == "fine-foods")!;
        Assert.That(fineFoods["train"]!.GetValue<int>(), Is.GreaterThan(0));
        Assert.That(fineFoods["majority_dev"]!.GetValue<double>(), Is.InRange(0.0, 1.0));
        Assert.That(root["summarization"]!.AsArray(), Is.Not.Empty);
    }

    [TestCase("figures")]
    [TestCase("status")]
    [TestCase("tasks")]
    public void CommandsThatRunNoTorchDoNotOfferThreadsOrDevice(string name)
    {
        var command = Cli.CreateRoot().Subcommands.Single(c => c.Name == name);
        Assert.That(command.Options.Select(o => o.Name), Has.None.AnyOf("--threads", "--device"));
        var (_, help) = Run(100, name, "--help");
        Assert.That(help, Does.Not.Contain("--threads").And.Not.Contain("--device"));
    }

    [Test]
    public void CommandsThatTrainOfferThemInEitherPosition()
    {
        var root = Cli.CreateRoot();
        Assert.That(root.Subcommands.Single(c => c.Name == "finetune").Options.Select(o => o.Name), Does.Contain("--threads").And.Contain("--device"));
        Assert.That(root.Parse(["--threads", "1", "pretrain"]).Errors, Is.Empty);
        Assert.That(root.Parse(["pretrain", "--threads", "1"]).Errors, Is.Empty);
        Assert.That(root.Parse(["pretrain", "--threads", "1"]).GetValue(global::Probing.Workbench.Commands.CommonOptions.Threads), Is.EqualTo(1));
        Assert.That(root.Parse(["--threads", "1", "pretrain"]).GetValue(global::Probing.Workbench.Commands.CommonOptions.Threads), Is.EqualTo(1));
    }
}
