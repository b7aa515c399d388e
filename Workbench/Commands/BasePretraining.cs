using Probing.Training.Data;
using Probing.Training.Data.Embedded;
using Probing.Training.Infrastructure;
using Probing.Training.Pretraining;
using Probing.Training.Text;
using Probing.Workbench.Runs;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>A pretraining config as a run: identity (config, corpus, held-out task texts), log, model/, metrics.json.</summary>
public static class BasePretraining
{
    public const string Kind = "pretrain";

    /// <summary>Checks the config and the corpus files and returns the run as a plan; writes nothing.</summary>
    /// <param name="command">What the manifest names as the command (pretrain, scaling, quickstart).</param>
    public static RunPlan Plan(PretrainConfig config, string folder, string command)
    {
        config.Validate();
        var files = CorpusSource.EmbeddedFiles();
        if (files.Count == 0) throw InputError.InFile(ProjectPaths.Data("corpus"), "no pretrain_*.txt.gz corpus files");
        var data = ProjectPaths.DataDir;
        var inputs = new Dictionary<string, InputFiles>
        {
            ["corpus"] = InputFiles.Of(data, [.. files.Append(WordPieceTextTokenizer.DefaultVocabPath).Select(f => Path.GetRelativePath(data, f))]),
            // Task dev/test texts are dropped from the corpus: they shape what the model sees.
            ["held_out"] = InputFiles.Of(EmbeddedSuite.DefaultTasksDir, EmbeddedSuite.HeldOutFiles()),
        };
        return new RunPlan(folder, RunIdentity.Of(Kind, config, inputs), command, config.Seed, run => Execute(config, run));
    }

    static void Execute(PretrainConfig config, RunFolder run)
    {
        var heldOut = EmbeddedSuite.HeldOutTexts();
        var source = new CorpusSource(CorpusSource.EmbeddedFiles(), WordPieceTextTokenizer.DefaultVocabPath, line => heldOut.Contains(TextKey.Normalize(line)));
        var outcome = Terminal.ConsoleProgress.Run("pretrain", progress => PretrainingPipeline.Run(config, source, run.Path, progress));
        run.WriteMetrics(outcome);
    }

    /// <summary>Runs (or resumes) the plan; a finished run of the same identity is read back.</summary>
    public static PretrainingOutcome Run(RunPlan plan, bool forceNew = false)
    {
        RunFolder.Execute(plan, forceNew, Console.WriteLine);
        return ReadFinished(plan.Folder);
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
