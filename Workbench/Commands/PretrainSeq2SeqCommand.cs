using System.CommandLine;
using Probing.Training.Data;
using Probing.Training.Data.Embedded;
using Probing.Training.Infrastructure;
using Probing.Training.Pretraining;
using Probing.Training.Text;
using Probing.Workbench.Experiments;
using Probing.Workbench.Runs;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench pretrain-seq2seq</c>: BART-style denoising of an encoder–decoder on the embedded corpus, warm-started from the shipped encoder.</summary>
public static class PretrainSeq2SeqCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset")
        {
            Description = $"Starting configuration: {string.Join(", ", DenoisingConfig.PresetNames)} (base: 2+2 layers × 128 warm-started from data/base)",
            DefaultValueFactory = _ => "base",
        };
        preset.AcceptOnlyFromAmong([.. DenoisingConfig.PresetNames]);
        var seed = CommonOptions.Seed();
        var output = CommonOptions.Output("the denoising run (default results/pretrain-seq2seq/<preset>-seed<seed>)");
        var overrides = CommonOptions.Overrides();
        var command = new Command("pretrain-seq2seq",
            "Pretrain a BART-style encoder-decoder by text infilling on the embedded corpus, warm-started from an encoder (resumes an interrupted run)")
        {
            preset, seed, output, overrides,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var config = DenoisingConfig.Preset(parse.GetValue(preset)!);
            if (parse.GetValue(seed) is { } s) config = config with { Seed = s };
            config = ConfigOverrides.Apply(config, parse.GetValue(overrides)!);
            var folder = parse.GetValue(output) ?? Path.Combine("results", "pretrain-seq2seq", $"{parse.GetValue(preset)}-seed{config.Seed}");
            var outcome = Run(config, folder);
            PrintSummary(outcome, folder);
            return 0;
        });
        return command;
    }

    /// <summary>Runs a denoising config inside a run folder: config, manifest, log, metrics, DONE.</summary>
    public static DenoisingOutcome Run(DenoisingConfig config, string folder)
    {
        var run = RunFolder.Start(folder, config);
        var manifest = RunManifest.Begin("pretrain-seq2seq", config.Seed, TorchRuntime.DeviceName);
        run.WriteManifest(manifest);
        var heldOut = EmbeddedSuite.HeldOutTexts();
        var source = new CorpusSource(CorpusSource.EmbeddedFiles(), WordPieceTextTokenizer.DefaultVocabPath, line => heldOut.Contains(TextKey.Normalize(line)));
        var outcome = Terminal.ConsoleProgress.Run("denoise", progress => DenoisingPipeline.Run(config, source, run.Path, progress));
        run.WriteMetrics(outcome);
        run.WriteManifest(manifest.Finish());
        run.MarkDone();
        return outcome;
    }

    static void PrintSummary(DenoisingOutcome outcome, string folder)
    {
        var evaluation = outcome.Evaluation;
        var table = new Table().AddColumns("held-out reconstruction", "value");
        table.AddRow("token accuracy (teacher-forced)", $"{evaluation.TokenAccuracy:P1}");
        table.AddRow("accuracy on infilled tokens", $"{evaluation.InfilledAccuracy:P1}");
        table.AddRow($"unigram baseline there (always '{Markup.Escape(evaluation.UnigramToken)}')", $"{evaluation.UnigramAccuracy:P1}");
        table.AddRow("loss per token", $"{evaluation.Loss:F3}");
        table.AddRow("training time", $"{outcome.TrainSeconds:F0} s");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"model: [bold]{Markup.Escape(Path.Combine(folder, DenoisingPipeline.ModelSubfolder))}[/]");
    }
}
