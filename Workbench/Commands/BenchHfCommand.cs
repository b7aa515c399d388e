using Probing.Probing.Features;
using Probing.Probing.Protocols;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Workbench.Benchmarks;
using Spectre.Console;
using System.CommandLine;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench bench hf</c>.</summary>
public static class BenchHfCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "CSV file to write", DefaultValueFactory = _ => Path.Combine("results", "bench", "hf.csv") };
        var model = new Option<string>("--model") { Description = "Hugging Face BERT/RoBERTa folder", Required = true };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 32 };
        var length = new Option<int>("--length") { DefaultValueFactory = _ => 128 };
        var iterations = new Option<int>("--iterations") { Description = "Timed forward passes on each side (median reported)", DefaultValueFactory = _ => 5 };
        var pytorch = new Option<bool>("--pytorch") { Description = "Also load and run the folder in PyTorch (bench/hf_forward.py, Debian python3-torch) at equal threads", DefaultValueFactory = _ => true };
        var command = new Command("hf", "Load time and forward throughput (sequences/s) of a Hugging Face encoder folder, beside PyTorch")
        {
            output, model, batch, length, iterations, pytorch,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var (directory, b, t, n) = (parse.GetValue(model)!, parse.GetValue(batch), parse.GetValue(length), parse.GetValue(iterations));
            var rows = new List<HfBenchRow> { HfBenchmark.Workbench(directory, b, t, n) };
            if (parse.GetValue(pytorch)) rows.Add(HfBenchmark.PyTorch(directory, b, t, n));
            foreach (var row in rows)
                AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                    $"{row.Implementation}: load {row.LoadSeconds:F2} s, forward {row.Batch}×{row.Length} {row.ForwardMs:F0} ms = {row.SequencesPerSecond:F1} sequences/s ({row.Threads} threads)")));
            CsvTable.Write(parse.GetValue(output)!, rows);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(parse.GetValue(output)!)}[/]");
            return 0;
        });
        return command;
    }

    static Command Probe()
    {
        var output = new Option<string>("--out") { Description = "CSV file to write", DefaultValueFactory = _ => Path.Combine("results", "bench", "probe.csv") };
        var model = CommonOptions.Model();
        var tasks = new Option<string[]>("--tasks") { Description = "Tasks (default: the probe command's default tasks)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [.. ProbeCommand.DefaultTasks] };
        var maxLength = new Option<int>("--max-length") { DefaultValueFactory = _ => 128 };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 64 };
        var repeats = new Option<int>("--repeats") { Description = "Timed fits per task on each side (median reported)", DefaultValueFactory = _ => 3 };
        var sklearn = new Option<bool>("--sklearn") { Description = "Compare fits with scikit-learn (bench/probe_sklearn.py, Debian python3-sklearn)", DefaultValueFactory = _ => true };
        var command = new Command("probe", "Generalization-probe wall time ÷ one encoder forward (cold and warm feature cache); linear-probe fit vs scikit-learn")
        {
            output, model, tasks, maxLength, batch, repeats, sklearn,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var source = new CheckpointFeatureSource("base", ModelFolder.Resolve(parse.GetValue(model)));
            var settings = new ProbeSettings([.. parse.GetValue(tasks)!], LayerSelection.Parse("last"), Pooling.Cls, "linear", [1], MaxLength: parse.GetValue(maxLength));
            var benchmark = new ProbeBenchmark(new ProbedModel(ProbedModel.BaseRole, source), settings, parse.GetValue(batch), Console.WriteLine);
            var scratch = Directory.CreateTempSubdirectory("probing-bench-probe-").FullName;
            try
            {
                var rows = benchmark.Protocol(scratch).ToList();
                var fits = benchmark.Fits(scratch, parse.GetValue(repeats)).ToList();
                rows.AddRange(fits.Select(f => f.Row));
                if (parse.GetValue(sklearn))
                {
                    var reference = SklearnProbeReference.Run(scratch, [.. fits.Select(f => (f.Row.Task, f.C))], parse.GetValue(repeats)).ToDictionary(r => r.Task);
                    rows = [.. rows.Select(r => r.Implementation == "torchsharp" && reference.TryGetValue(r.Task, out var other) ? r with { Ratio = Math.Round(r.Milliseconds / other.Milliseconds, 3) } : r)];
                    rows.AddRange(reference.Values);
                    foreach (var (row, _) in fits)
                        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                            $"{row.Task}: fit {row.Milliseconds:F0} ms vs sklearn {reference[row.Task].Milliseconds:F0} ms; accuracy {row.TestAccuracy:F4} vs {reference[row.Task].TestAccuracy:F4}")));
                }
                CsvTable.Write(parse.GetValue(output)!, rows);
                AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(parse.GetValue(output)!)}[/]");
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
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
