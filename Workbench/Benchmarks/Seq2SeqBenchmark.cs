using CsvHelper;
using Probing.Training.Checkpoints;
using Probing.Training.Data.Embedded;
using Probing.Training.FineTuning;
using Probing.Training.Generation;
using Probing.Training.Model;
using Probing.Training.Regularizers;
using Probing.Training.Text;
using static TorchSharp.torch;

namespace Probing.Workbench.Benchmarks;

/// <summary>
/// One seq2seq measurement: a training step of a method (milliseconds, and ÷ standard's) or decoding
/// (summaries per second, and ÷ greedy's), on the embedded summarization task.
/// </summary>
[CsvRecord]
public partial record Seq2SeqBenchRow(string Measure, string Setting, string Model, int Threads, int Batch, int SourceLength, int TargetLength,
    int Rounds, string Clock, double Value, string Unit, double Ratio, double MeanOutputTokens);

/// <summary>
/// Sequence-to-sequence speed on debian-headlines: the training step of every method with a seq2seq
/// form beside standard's (interleaved rounds in one process, as <c>bench methods</c>), and decoding
/// throughput of dev documents, greedy and with a beam, measured side by side.
/// </summary>
public sealed class Seq2SeqBenchmark(int rounds, BenchClock clock = BenchClock.Wall)
{
    /// <summary>The given folder, the shipped seq2seq base, or a random model of <c>pretrain-seq2seq --preset base</c>'s shape on the shipped base's vocabulary.</summary>
    public static (string Name, Seq2SeqModel Model, ITextTokenizer Tokenizer) LoadModel(string? folder)
    {
        var path = folder ?? ModelFolder.ShippedSeq2SeqDirectory();
        if (path is not null)
        {
            var resolved = ModelFolder.Resolve(path);
            return (folder is null ? "shipped-seq2seq-base" : Path.GetFileName(Path.TrimEndingDirectorySeparator(resolved.Path)), resolved.LoadSeq2Seq(), resolved.LoadTokenizer());
        }
        var tokenizer = ModelFolder.Resolve(null).LoadTokenizer();
        var config = new Seq2SeqConfig
        {
            VocabSize = tokenizer.VocabSize, PadTokenId = tokenizer.PadId, BosTokenId = tokenizer.ClsId, EosTokenId = tokenizer.SepId, DecoderStartTokenId = tokenizer.SepId,
            TokenizerClass = Seq2SeqConfig.WordPieceTokenizerClass,
        };
        var model = new Seq2SeqModel(config);
        Initialization.Apply(model, seed: 1);
        return ($"random-2+2x128-vocab{tokenizer.VocabSize}", model, tokenizer);
    }

    public List<Seq2SeqBenchRow> Measure(string modelName, Seq2SeqModel start, ITextTokenizer tokenizer, int batch, int sourceLength, int targetLength,
        IReadOnlyList<int> beams, int documents)
    {
        var threads = get_num_threads();
        var task = EmbeddedSuite.Load(EmbeddedSuite.FindSummarization("debian-headlines")!);
        var examples = new Seq2SeqExamples(task.Train.Take(batch).ToList(), tokenizer, start.Config, sourceLength, targetLength);
        var data = examples.Batch([.. Enumerable.Range(0, batch)]);
        var rows = new List<Seq2SeqBenchRow>();

        var steppers = MethodRegistry.Seq2SeqKinds.Select(kind => MethodStepper.Seq2Seq(kind, start)).ToList();
        var samples = steppers.ToDictionary(s => s.Kind, _ => new List<double>());
        for (int round = -1; round < rounds; round++)
            foreach (var stepper in steppers)
            {
                var ms = Timing.Milliseconds(() => stepper.Step(data), clock);
                if (round >= 0) samples[stepper.Kind].Add(ms);
            }
        var standard = Timing.Median(samples["standard"]);
        foreach (var stepper in steppers)
        {
            var ms = Timing.Median(samples[stepper.Kind]);
            rows.Add(new(
                "train_step", stepper.Kind, modelName, threads, batch, sourceLength, targetLength, rounds, Clock, Math.Round(ms, 2), "ms", Math.Round(ms / standard, 3), 0));
            stepper.Dispose();
        }

        // Decoding: the same dev documents with every beam size, interleaved per round.
        var sources = task.Dev.Take(documents).Select(e => e.Document).ToList();
        var perSecond = beams.ToDictionary(b => b, _ => new List<double>());
        // Throughput depends on how long the outputs are (a random model may end at once greedily, or never): reported beside it.
        var outputTokens = new Dictionary<int, double>();
        start.eval();
        for (int round = -1; round < Math.Max(1, rounds / 3); round++)
            foreach (var beam in beams)
            {
                var options = new GenerationOptions { BeamSize = beam, MaxLength = targetLength, NoRepeatNgramSize = 3 };
                IReadOnlyList<string> summaries = [];
                var ms = Timing.Milliseconds(() => summaries = SequenceGenerator.Summarize(start, tokenizer, sources, options, sourceLength, batch), clock);
                if (round >= 0) perSecond[beam].Add(sources.Count / (ms / 1000));
                outputTokens[beam] = summaries.Average(s => tokenizer.Tokenize(s).Length);
            }
        var greedy = Timing.Median(perSecond[beams[0]]);
        foreach (var beam in beams)
        {
            var rate = Timing.Median(perSecond[beam]);
            rows.Add(new("decode", beam == 1 ? "greedy" : $"beam{beam}", modelName, threads, batch, sourceLength, targetLength, Math.Max(1, rounds / 3), Clock,
                Math.Round(rate, 2), "summaries_per_second", Math.Round(rate / greedy, 3), Math.Round(outputTokens[beam], 2)));
        }
        return rows;
    }

    string Clock => clock.ToString().ToLowerInvariant();
}
