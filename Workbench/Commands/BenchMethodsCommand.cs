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
        var rounds = new Option<int>("--rounds") { Description = "Interleaved timing rounds (one step of every method each; median reported)", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 32 };
        var length = new Option<int>("--length") { DefaultValueFactory = _ => 128 };
        var memorySteps = new Option<string>("--memory-steps") { Description = "Step counts after which peak RSS is read (empty: skip)", DefaultValueFactory = _ => "1000,5000" };
        var memoryMethod = new Option<string>("--memory-method") { Description = "Method of the memory run", DefaultValueFactory = _ => "r3f" };
        var command = new Command("methods", "Step time of every fine-tuning method ÷ standard on the default model, and peak RSS over long runs")
        {
            output, rounds, batch, length, memorySteps, memoryMethod,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            MethodRegistry.Defaults(parse.GetValue(memoryMethod)!);
            var steps = parse.GetValue(memorySteps) is { Length: > 0 } text
                ? text.Split(',').Select(t => int.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new InputError($"--memory-steps {text}: expected positive step counts")).ToList()
                : [];
            // Memory first: the peak RSS then reflects the small config alone, not the big timing models.
            var rows = steps.Count > 0 ? MethodBenchmark.PeakMemory(parse.GetValue(memoryMethod)!, steps) : [];
            foreach (var row in rows)
                AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant($"{row.Method} after {row.Steps} steps: peak RSS {row.PeakRssMegabytes:F0} MB")));
            var (name, encoder) = MethodBenchmark.DefaultModel();
            var times = new MethodBenchmark(parse.GetValue(rounds)).StepTimes(name, encoder, parse.GetValue(batch), parse.GetValue(length));
            encoder.Dispose();
            foreach (var row in times) AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant($"{row.Method}: {row.Milliseconds:F1} ms/step, {row.RatioToStandard:F2}× standard")));
            rows.AddRange(times);
            CsvTable.Write(parse.GetValue(output)!, rows);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(parse.GetValue(output)!)}[/]");
            return 0;
        });
        return command;
    }
}
