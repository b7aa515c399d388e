using System.CommandLine;
using Probing.Training.Checkpoints;
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
        var forceNew = CommonOptions.ForceNew();
        var command = new Command("pretrain-seq2seq",
            "Pretrain a BART-style encoder-decoder by text infilling on the embedded corpus, warm-started from an encoder (resumes an interrupted run; a finished one is read back)")
        {
            preset, seed, output, overrides, forceNew,
        };
        command.SetPlanner(parse =>
        {
            var config = DenoisingConfig.Preset(parse.GetValue(preset)!);
            if (parse.GetValue(seed) is { } s) config = config with { Seed = s };
            config = ConfigOverrides.Apply(config, parse.GetValue(overrides)!);
            var folder = parse.GetValue(output) ?? Path.Combine("results", "pretrain-seq2seq", $"{parse.GetValue(preset)}-seed{config.Seed}");
            var plan = Plan(config, folder);
            return new CommandPlan([plan], () =>
            {
                CommonOptions.ApplyRuntime(parse);
                PrintSummary(Run(plan, parse.GetValue(forceNew)), folder);
                return 0;
            });
        });
        return command;
    }

    public const string Kind = "pretrain-seq2seq";

    /// <summary>
    /// Checks the config, the corpus and the warm start and returns the run as a plan; writes nothing.
    /// Its identity: the config, the corpus files, the held-out task texts and the warm-start folder's content.
    /// </summary>
    public static RunPlan Plan(DenoisingConfig config, string folder)
    {
        config.Validate();
        var files = CorpusSource.EmbeddedFiles();
        if (files.Count == 0) throw InputError.InFile(ProjectPaths.Data("corpus"), "no pretrain_*.txt.gz corpus files");
        var data = ProjectPaths.DataDir;
        var inputs = new Dictionary<string, InputFiles>
        {
            ["corpus"] = InputFiles.Of(data, [.. files.Append(WordPieceTextTokenizer.DefaultVocabPath).Select(f => Path.GetRelativePath(data, f))]),
            ["held_out"] = InputFiles.Of(EmbeddedSuite.DefaultTasksDir, EmbeddedSuite.HeldOutFiles()),
        };
        if (config.WarmStart != DenoisingConfig.NoWarmStart)
        {
            var start = ModelFolder.Resolve(config.WarmStart == DenoisingConfig.ShippedBase ? null : config.WarmStart);
            if (start.IsSeq2Seq) throw InputError.InFile(start.Path, "warm_start needs an encoder folder (BERT or RoBERTa), not a seq2seq one");
            inputs["warm_start"] = RunInputs.Model(start.Validate());
        }
        return new RunPlan(folder, RunIdentity.Of(Kind, config, inputs), "pretrain-seq2seq", config.Seed, run =>
        {
            var heldOut = EmbeddedSuite.HeldOutTexts();
            var source = new CorpusSource(CorpusSource.EmbeddedFiles(), WordPieceTextTokenizer.DefaultVocabPath, line => heldOut.Contains(TextKey.Normalize(line)));
            run.WriteMetrics(Terminal.ConsoleProgress.Run("denoise", progress => DenoisingPipeline.Run(config, source, run.Path, progress)));
        });
    }

    /// <summary>Runs (or resumes) the plan; a finished run of the same identity is read back.</summary>
    public static DenoisingOutcome Run(RunPlan plan, bool forceNew = false)
    {
        RunFolder.Execute(plan, forceNew, Console.WriteLine);
        return Json.Read<DenoisingOutcome>(Path.Combine(plan.Folder, RunFolder.MetricsFile));
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
