using Probing.Training.Infrastructure;
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
        var python = BenchCommand.Python();
        var command = new Command("hf", "Load time and forward throughput (sequences/s) of a Hugging Face encoder folder, beside PyTorch")
        {
            output, model, batch, length, iterations, pytorch, python,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var (directory, b, t, n) = (parse.GetValue(model)!, parse.GetValue(batch), parse.GetValue(length), parse.GetValue(iterations));
            var rows = new List<HfBenchRow> { HfBenchmark.Workbench(directory, b, t, n) };
            if (parse.GetValue(pytorch)) rows.Add(HfBenchmark.PyTorch(PythonReference.Find(parse.GetValue(python), "torch"), directory, b, t, n));
            foreach (var row in rows)
                AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                    $"{row.Implementation}: load {row.LoadSeconds:F2} s, forward {row.Batch}×{row.Length} {row.ForwardMs:F0} ms = {row.SequencesPerSecond:F1} sequences/s ({row.Threads} threads)")));
            CsvTable.Write(parse.GetValue(output)!, rows);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(parse.GetValue(output)!)}[/]");
            return 0;
        });
        return command;
    }
}
