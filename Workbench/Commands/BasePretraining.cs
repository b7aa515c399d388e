using Probing.Training.Data;
using Probing.Training.Data.Embedded;
using Probing.Training.Infrastructure;
using Probing.Training.Pretraining;
using Probing.Training.Text;
using Probing.Workbench.Runs;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>Runs a pretraining config inside a run folder: config, manifest, log, metrics, DONE.</summary>
public static class BasePretraining
{
    public static PretrainingOutcome Run(PretrainConfig config, string folder, string commandName)
    {
        var run = RunFolder.Start(folder, config);
        var manifest = RunManifest.Begin(commandName, config.Seed, TorchRuntime.DeviceName);
        run.WriteManifest(manifest);
        var heldOut = EmbeddedSuite.HeldOutTexts();
        var source = new CorpusSource(CorpusSource.EmbeddedFiles(), WordPieceTextTokenizer.DefaultVocabPath, line => heldOut.Contains(TextKey.Normalize(line)));
        var outcome = Terminal.ConsoleProgress.Run("pretrain", progress => PretrainingPipeline.Run(config, source, run.Path, progress));
        run.WriteMetrics(outcome);
        run.WriteManifest(manifest.Finish());
        run.MarkDone();
        return outcome;
    }

    public static PretrainingOutcome ReadFinished(string folder) => Json.Read<PretrainingOutcome>(Path.Combine(folder, RunFolder.MetricsFile));

    public static void PrintSummary(PretrainingOutcome outcome, string folder)
    {
        var evaluation = outcome.Evaluation;
        var table = new Table().AddColumns("held-out masked-LM", "value");
        table.AddRow("masked-token accuracy", $"{evaluation.MaskedAccuracy:P1}");
        table.AddRow($"unigram baseline (always '{Markup.Escape(evaluation.UnigramToken)}')", $"{evaluation.UnigramAccuracy:P1}");
        table.AddRow("ratio", $"{evaluation.MaskedAccuracy / evaluation.UnigramAccuracy:F2}×");
        table.AddRow("masked tokens scored", $"{evaluation.MaskedTokens:N0}");
        table.AddRow("training time", $"{outcome.TrainSeconds:F0} s");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"model: [bold]{Markup.Escape(Path.Combine(folder, PretrainingPipeline.ModelSubfolder))}[/]");
    }
}
