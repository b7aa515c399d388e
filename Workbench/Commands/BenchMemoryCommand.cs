using Probing.Training.Infrastructure;
using Probing.Training.Regularizers;
using Probing.Workbench.Benchmarks;
using Spectre.Console;
using System.CommandLine;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench bench memory</c>.</summary>
public static class BenchMemoryCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "CSV file to write (one row per method and sample)", DefaultValueFactory = _ => Path.Combine("results", "bench", "memory.csv") };
        var steps = new Option<int>("--steps") { Description = "Steps per method", DefaultValueFactory = _ => 5000 };
        var every = new Option<int>("--every") { Description = "Sample resident memory every N steps", DefaultValueFactory = _ => 250 };
        var warmup = new Option<int>("--warmup") { Description = "Steps before the reference sample of the growth figure", DefaultValueFactory = _ => 500 };
        IReadOnlyList<string> all = [.. MethodRegistry.Kinds, .. MethodRegistry.Seq2SeqKinds.Select(k => MemoryBenchmark.Seq2SeqPrefix + k)];
        var methods = new Option<string[]>("--methods")
        {
            Description = $"Methods to run (default: all: {string.Join(", ", all)}); seq2seq- names train a small encoder–decoder",
            DefaultValueFactory = _ => [.. all],
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("memory", "Resident memory over thousands of steps of every method (small model), as CSV; growth from the warm-up sample to the last")
        {
            output, steps, every, warmup, methods,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var selected = parse.GetValue(methods)!;
            foreach (var method in selected)
                if (method.StartsWith(MemoryBenchmark.Seq2SeqPrefix, StringComparison.Ordinal)) MethodRegistry.Seq2SeqDefaults(method[MemoryBenchmark.Seq2SeqPrefix.Length..]);
                else MethodRegistry.Defaults(method);
            var (count, interval, warm) = (parse.GetValue(steps), parse.GetValue(every), parse.GetValue(warmup));
            if (count < 1 || interval < 1 || warm < 0 || warm > count) throw new InputError("bench memory: expected --steps ≥ 1, --every ≥ 1 and 0 ≤ --warmup ≤ --steps");
            var benchmark = new MemoryBenchmark(count, interval);
            var rows = new List<MemoryBenchRow>();
            foreach (var method in selected)
            {
                var samples = benchmark.Run(method).ToList();
                rows.AddRange(samples);
                var after = samples.First(s => s.Step >= warm);
                AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                    $"{method}: RSS {after.RssMegabytes:F0} MB after {after.Step} steps, {samples[^1].RssMegabytes:F0} MB after {samples[^1].Step} ({MemoryBenchmark.GrowthPercent(samples, warm):+0.0;-0.0} %), max {samples.Max(s => s.RssMegabytes):F0} MB; managed heap {samples[^1].ManagedMegabytes:F0} MB")));
            }
            CsvTable.Write(parse.GetValue(output)!, rows);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(parse.GetValue(output)!)}[/]");
            return 0;
        });
        return command;
    }
}
