using System.CommandLine;
using Probing.Training.Infrastructure;
using Probing.Workbench.Benchmarks;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench bench seq2seq</c>.</summary>
public static class BenchSeq2SeqCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "CSV file to write", DefaultValueFactory = _ => Path.Combine("results", "bench", "seq2seq.csv") };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved timing rounds of the training steps (decoding: a third as many); median reported", DefaultValueFactory = _ => 9 };
        var batch = new Option<int>("--batch") { Description = "Batch size of training and decoding", DefaultValueFactory = _ => 32 };
        var sourceLength = new Option<int>("--source-length") { Description = "Source tokens kept (fine-tuning's max_source_length)", DefaultValueFactory = _ => 128 };
        var targetLength = new Option<int>("--target-length") { Description = "Target tokens (training) and the decoding length limit", DefaultValueFactory = _ => 32 };
        var documents = new Option<int>("--documents") { Description = "Dev documents decoded per measurement", DefaultValueFactory = _ => 64 };
        var beams = new Option<int[]>("--beams") { Description = "Beam sizes to decode with (1 = greedy, the reference of the ratio)", DefaultValueFactory = _ => [1, 4], AllowMultipleArgumentsPerToken = true };
        var model = new Option<string?>("--model") { Description = "Seq2seq model folder (default: the shipped seq2seq base, else a random model of pretrain-seq2seq's base shape)" };
        var clock = new Option<BenchClock>("--clock") { Description = "wall (elapsed) or cpu (the process's CPU time: steadier on a loaded machine, meaningful with --threads 1)", DefaultValueFactory = _ => BenchClock.Wall };
        var command = new Command("seq2seq", "Seq2seq on debian-headlines: training step of r3f ÷ standard, and decoding throughput (summaries/s) greedy and with beams")
        {
            output, rounds, batch, sourceLength, targetLength, documents, beams, model, clock,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            if (parse.GetValue(rounds) < 1) throw new InputError("--rounds: expected at least 1");
            var beamSizes = parse.GetValue(beams)!;
            if (beamSizes.Length == 0 || beamSizes[0] != 1 || beamSizes.Any(b => b < 1)) throw new InputError("--beams: expected 1 first (the reference), then beam sizes ≥ 1");
            var (name, start, tokenizer) = Seq2SeqBenchmark.LoadModel(parse.GetValue(model));
            using (start)
            {
                var rows = new Seq2SeqBenchmark(parse.GetValue(rounds), parse.GetValue(clock)).Measure(name, start, tokenizer, parse.GetValue(batch),
                    parse.GetValue(sourceLength), parse.GetValue(targetLength), beamSizes, parse.GetValue(documents));
                foreach (var row in rows)
                    AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant($"{row.Measure} {row.Setting}: {row.Value:F2} {row.Unit} ({row.Ratio:F2}×){(row.Measure == "decode" ? $", {row.MeanOutputTokens:F1} tokens per summary" : "")}")));
                CsvTable.Write(parse.GetValue(output)!, rows);
            }
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(parse.GetValue(output)!)}[/]");
            return 0;
        });
        return command;
    }
}
