using Probing.Training.Infrastructure;
using Probing.Workbench.Benchmarks;
using Spectre.Console;
using System.CommandLine;
using static TorchSharp.torch;

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
            Description = $"Which shapes: {string.Join(", ", EncoderBenchmark.Models.Select(m => FormattableString.Invariant($"{m.Name} ({m.Config.NumHiddenLayers} × {m.Config.HiddenSize}, vocab {m.Config.VocabSize}, {m.Batch} × {m.Length})")))}",
            DefaultValueFactory = _ => EncoderBenchmark.DefaultModels,
            AllowMultipleArgumentsPerToken = true,
        };
        var variants = new Option<string[]>("--variants")
        {
            Description = $"Which TorchSharp variants: {string.Join(", ", EncoderBenchmark.Variants)} (the last three isolate known slowdowns)",
            DefaultValueFactory = _ => ["workbench"],
            AllowMultipleArgumentsPerToken = true,
        };
        var threadCounts = new Option<int[]>("--thread-counts")
        {
            Description = "Thread counts to measure at, in this one process (default: 1 and --threads)",
            AllowMultipleArgumentsPerToken = true,
        };
        var batch = new Option<int?>("--batch") { Description = "Batch size (default: each shape's own)" };
        var length = new Option<int?>("--length") { Description = "Sequence length (default: each shape's own)" };
        var pytorch = new Option<bool>("--pytorch") { Description = "Also time the same step in PyTorch (bench/encoder_step.py, Debian python3-torch) at equal threads" };
        var python = BenchCommand.Python();
        var command = new Command("encoder", "Forward and masked-LM training-step time of the encoder, GFLOP/s and share of a 1024² GEMM's rate, beside PyTorch")
        {
            output, iterations, models, variants, threadCounts, batch, length, pytorch, python,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var names = EncoderBenchmark.Models.Select(m => m.Name).ToList();
            var selected = parse.GetValue(models)!;
            if (selected.FirstOrDefault(m => !names.Contains(m)) is { } unknown) throw new InputError($"--models {unknown}: unknown; valid: {string.Join(", ", names)}");
            if (parse.GetValue(variants)!.FirstOrDefault(v => !EncoderBenchmark.Variants.Contains(v)) is { } badVariant)
                throw new InputError($"--variants {badVariant}: unknown; valid: {string.Join(", ", EncoderBenchmark.Variants)}");
            var threads = parse.GetValue(threadCounts) is { Length: > 0 } given ? given : [.. new[] { 1, get_num_threads() }.Distinct()];
            if (threads.Any(t => t < 1)) throw new InputError("--thread-counts: expected positive numbers");
            var interpreter = parse.GetValue(pytorch) ? PythonReference.Find(parse.GetValue(python), "torch") : null;
            var benchmark = new EncoderBenchmark(warmup: 1, parse.GetValue(iterations));
            var rows = new List<EncoderBenchRow>();
            foreach (var count in threads)
            {
                set_num_threads(count);
                var gemm = benchmark.GemmGflopPerSecond();
                foreach (var model in EncoderBenchmark.Models.Where(m => selected.Contains(m.Name)))
                {
                    var shape = model with { Batch = parse.GetValue(batch) ?? model.Batch, Length = parse.GetValue(length) ?? model.Length };
                    foreach (var variant in parse.GetValue(variants)!)
                        foreach (var row in benchmark.Run(shape, variant, gemm))
                        {
                            rows.Add(row);
                            Print(row);
                        }
                    if (interpreter is null) continue;
                    foreach (var row in PyTorchReference.Run(interpreter, shape.Name, shape.Config, shape.Batch, shape.Length, parse.GetValue(iterations)))
                    {
                        rows.Add(row);
                        Print(row);
                    }
                    var ours = rows.Last(r => r.Implementation == "torchsharp" && r.Variant == "workbench" && r.Phase == "train-step" && r.Threads == count && r.Model == shape.Name);
                    var theirs = rows[^1];
                    AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant($"{shape.Name}, {count} thread(s): training step {ours.Milliseconds / theirs.Milliseconds:F2} × PyTorch's")));
                    if (theirs.GemmGflopPerSecond < 0.5 * gemm)
                        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                            $"warning: PyTorch's GEMM reaches {theirs.GemmGflopPerSecond:F1} GFLOP/s, under half of libtorch's {gemm:F1}: its BLAS looks misconfigured (reference BLAS instead of OpenBLAS, or a misdetected OPENBLAS_CORETYPE), so the ratio flatters the workbench")));
                }
            }
            CsvTable.Write(parse.GetValue(output)!, rows);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(parse.GetValue(output)!)}[/]");
            return 0;
        });
        return command;
    }

    static void Print(EncoderBenchRow row) => AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
        $"{row.Implementation} {row.Model} {row.Variant} {row.Phase}, {row.Threads} thread(s): {row.Milliseconds:F1} ms, {row.GflopPerSecond:F1} GFLOP/s = {row.ShareOfGemm:P0} of its GEMM's {row.GemmGflopPerSecond:F1}")));
}
