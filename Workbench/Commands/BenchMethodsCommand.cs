using Probing.Training.Infrastructure;
using Probing.Training.Regularizers;
using Probing.Workbench.Benchmarks;
using Spectre.Console;
using System.CommandLine;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench bench methods</c>.</summary>
public static class BenchMethodsCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "CSV file to write", DefaultValueFactory = _ => Path.Combine("results", "bench", "methods.csv") };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved timing rounds (one step of every method each; median reported)", DefaultValueFactory = _ => 9 };
        var batch = new Option<int>("--batch") { Description = "Batch size (the studies' 32)", DefaultValueFactory = _ => 32 };
        var length = new Option<int>("--length") { Description = "Sequence length (the studies' 64)", DefaultValueFactory = _ => 64 };
        var methods = Methods();
        var clock = new Option<BenchClock>("--clock") { Description = "wall (elapsed) or cpu (the process's CPU time: steadier on a loaded machine, meaningful with --threads 1)", DefaultValueFactory = _ => BenchClock.Wall };
        var command = new Command("methods", "Step time of every fine-tuning method ÷ standard on the shipped base, per step and per student pass")
        {
            output, rounds, batch, length, methods, clock,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var selected = Selected(parse.GetValue(methods)!);
            if (parse.GetValue(rounds) < 1) throw new InputError("--rounds: expected at least 1");
            var (name, encoder) = MethodBenchmark.DefaultModel();
            var rows = new MethodBenchmark(parse.GetValue(rounds), parse.GetValue(clock)).StepTimes(name, encoder, parse.GetValue(batch), parse.GetValue(length), selected);
            encoder.Dispose();
            foreach (var row in rows)
                AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                    $"{row.Method}: {row.Milliseconds:F1} ms/step, {row.RatioToStandard:F2}× standard, {row.RatioPerTrainingPass:F2}× per student pass ({row.TrainingPasses} {(row.TrainingPasses == 1 ? "pass" : "passes")}, {row.TeacherForwards} teacher {(row.TeacherForwards == 1 ? "forward" : "forwards")})")));
            CsvTable.Write(parse.GetValue(output)!, rows);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(parse.GetValue(output)!)}[/]");
            return 0;
        });
        return command;
    }

    /// <summary>--methods, shared with <c>bench memory</c>.</summary>
    public static Option<string[]> Methods() => new("--methods")
    {
        Description = $"Methods to measure (default: all: {string.Join(", ", MethodRegistry.Kinds)})",
        DefaultValueFactory = _ => [.. MethodRegistry.Kinds],
        AllowMultipleArgumentsPerToken = true,
    };

    public static IReadOnlyList<string> Selected(string[] methods)
    {
        foreach (var method in methods) MethodRegistry.Defaults(method);
        return methods;
    }
}
