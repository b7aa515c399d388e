using Probing.Probing.Features;
using Probing.Probing.Protocols;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Workbench.Benchmarks;
using Spectre.Console;
using System.CommandLine;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench bench probe</c>.</summary>
public static class BenchProbeCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "CSV file to write", DefaultValueFactory = _ => Path.Combine("results", "bench", "probe.csv") };
        var model = CommonOptions.Model();
        var tasks = new Option<string[]>("--tasks") { Description = "Tasks (default: the probe command's default tasks)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [.. ProbeCommand.DefaultTasks] };
        var maxLength = new Option<int>("--max-length") { DefaultValueFactory = _ => 128 };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 64 };
        var repeats = new Option<int>("--repeats") { Description = "Timed fits per task on each side (median reported)", DefaultValueFactory = _ => 3 };
        var sklearn = new Option<bool>("--sklearn") { Description = "Compare fits with scikit-learn (bench/probe_sklearn.py, Debian python3-sklearn)", DefaultValueFactory = _ => true };
        var python = BenchCommand.Python();
        var command = new Command("probe", "Generalization-probe wall time ÷ one encoder forward (cold and warm feature cache); linear-probe fit vs scikit-learn")
        {
            output, model, tasks, maxLength, batch, repeats, sklearn, python,
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
                    var reference = SklearnProbeReference.Run(PythonReference.Find(parse.GetValue(python), "sklearn"), scratch, [.. fits.Select(f => (f.Row.Task, f.C))], parse.GetValue(repeats)).ToDictionary(r => r.Task);
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
}
