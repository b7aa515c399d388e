using Probing.Training.Infrastructure;
using Probing.Workbench.Benchmarks;
using Spectre.Console;
using System.CommandLine;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench bench encoder</c>.</summary>
public static class BenchEncoderCommand
{
    public static Command Create()
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
                    rows.AddRange(PyTorchReference.Run(name, config, parse.GetValue(batch), parse.GetValue(length), parse.GetValue(iterations)));
            }
            CsvTable.Write(parse.GetValue(output)!, rows);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(parse.GetValue(output)!)}[/]");
            return 0;
        });
        return command;
    }
}
