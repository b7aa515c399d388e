using System.CommandLine;
using Probing.Training.Infrastructure;
using Probing.Training.Regularizers;
using Probing.Workbench.Benchmarks;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench bench …</c>: speed measurements written as CSV, with ratios taken side by side in one run.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks that write CSV (speed goals are checked here, not in tests)");
        command.Subcommands.Add(Encoder());
        command.Subcommands.Add(Methods());
        return command;
    }

    static Command Methods()
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

    static Command Encoder()
    {
        var output = new Option<string>("--out") { Description = "CSV file to write", DefaultValueFactory = _ => Path.Combine("results", "bench", "encoder.csv") };
        var iterations = new Option<int>("--iterations") { Description = "Timed iterations per measurement (median reported)", DefaultValueFactory = _ => 5 };
        var models = new Option<string[]>("--models")
        {
            Description = $"Which models: {string.Join(", ", EncoderBenchmark.Models.Select(m => m.Name))}",
            DefaultValueFactory = _ => [.. EncoderBenchmark.Models.Select(m => m.Name)],
        };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 32 };
        var length = new Option<int>("--length") { DefaultValueFactory = _ => 128 };
        var pytorch = new Option<bool>("--pytorch") { Description = "Also time the same step in PyTorch (bench/encoder_step.py, Debian python3-torch) at equal threads" };
        var command = new Command("encoder", "Forward and training-step time of the encoder, GFLOP/s beside a 1024² GEMM")
        {
            output, iterations, models, batch, length, pytorch,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var selected = parse.GetValue(models)!;
            var unknown = selected.Except(EncoderBenchmark.Models.Select(m => m.Name)).ToList();
            if (unknown.Count > 0) throw new InputError($"--models {unknown[0]}: unknown; valid: {string.Join(", ", EncoderBenchmark.Models.Select(m => m.Name))}");
            var benchmark = new EncoderBenchmark(warmup: 1, parse.GetValue(iterations));
            var gemm = benchmark.GemmGflopPerSecond();
            var rows = new List<EncoderBenchRow>();
            foreach (var (name, config) in EncoderBenchmark.Models.Where(m => selected.Contains(m.Name)))
            {
                // The variants isolate known slowdowns; measuring them at BERT-base size costs minutes and adds nothing.
                var variants = name.StartsWith("default", StringComparison.Ordinal) ? EncoderBenchmark.Variants : ["workbench"];
                foreach (var variant in variants)
                    foreach (var row in benchmark.Run(name, config, variant, parse.GetValue(batch), parse.GetValue(length), gemm))
                    {
                        rows.Add(row);
                        AnsiConsole.MarkupLine(Markup.Escape($"{row.Implementation} {row.Model} {row.Variant} {row.Phase}: {row.Milliseconds:F1} ms, {row.GflopPerSecond:F1} GFLOP/s"));
                    }
                if (parse.GetValue(pytorch))
                    rows.AddRange(PyTorchReference.Run(name, config, parse.GetValue(batch), parse.GetValue(length), parse.GetValue(iterations), gemm));
            }
            CsvTable.Write(parse.GetValue(output)!, rows);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(parse.GetValue(output)!)}[/]");
            return 0;
        });
        return command;
    }
}
