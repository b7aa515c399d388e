using System.CommandLine;
using Probing.Training.Checkpoints;
using Probing.Training.Data.Summarization;
using Probing.Training.FineTuning;
using Probing.Training.Regularizers;
using Probing.Workbench.Experiments;
using Probing.Workbench.Runs;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench finetune</c>: one method on one task, for one seed or a sweep of seeds.</summary>
public static class FineTuneCommand
{
    public static Command Create()
    {
        var taskOptions = new TaskOptions();
        var method = new Option<string>("--method") { Description = $"Fine-tuning method: {string.Join(", ", MethodRegistry.Kinds)}", DefaultValueFactory = _ => "standard" };
        var seed = CommonOptions.Seed();
        var seeds = new Option<string?>("--seeds") { Description = "Several seeds, e.g. 1-10 or 1,3,5: one run each under <out>/seed-<n>/ and a summary" };
        var jobs = new Option<int>("--jobs") { Description = "With --seeds: worker processes (each gets cores/N threads)", DefaultValueFactory = _ => 1 };
        var model = CommonOptions.Model();
        var output = CommonOptions.Output("the fine-tuning run (default results/finetune/<task>-<method>[-seed<seed>])");
        var overrides = CommonOptions.Overrides();
        var forceNew = CommonOptions.ForceNew();
        var command = new Command("finetune", "Fine-tune an encoder with a classification head on a task, or a seq2seq model on a summarization task (resumes an interrupted run; a finished one is read back)")
        {
            method, seed, seeds, jobs, model, output, overrides, forceNew,
        };
        taskOptions.AddTo(command);
        command.SetPlanner(parse =>
        {
            var kind = parse.GetValue(method)!;
            if (SummarizationCatalog.IsSummarization(parse.GetValue(taskOptions.Task)!))
                return PlanSeq2Seq(parse, taskOptions, kind, seed, seeds, jobs, model, output, overrides, forceNew);
            var config = new FineTuneConfig { Method = MethodRegistry.Defaults(kind) };
            config = ConfigOverrides.Apply(config, parse.GetValue(overrides)!);
            if (parse.GetValue(seed) is { } s1) config = config with { Seed = s1 };
            var task = taskOptions.Load(parse);
            config = (config with { Task = task.Spec.Name }).Validate();
            var folder = ModelFolder.Resolve(parse.GetValue(model));
            var glueDir = parse.GetValue(taskOptions.DataDir);
            var name = $"{task.Spec.Name}-{kind}";

            return PlanRuns(parse, name, config.Seed, seed, seeds, jobs, output, forceNew, (s, runFolder) => FineTuneRun.Plan(config with { Seed = s }, task, glueDir, folder, runFolder),
                metrics => $"best dev {metrics.Metric} {metrics.BestDev:F4}");
        });
        return command;
    }

    /// <summary>
    /// A summarization task (embedded, or a fairseq/JSONL folder): seq2seq fine-tuning of the model
    /// folder's encoder–decoder with the method's seq2seq form, one seed or a sweep, as for classification.
    /// </summary>
    static CommandPlan PlanSeq2Seq(ParseResult parse, TaskOptions taskOptions, string kind, Option<int?> seed, Option<string?> seeds, Option<int> jobs,
        Option<string?> model, Option<string?> output, Option<string[]> overrides, Option<bool> forceNew)
    {
        var taskName = parse.GetValue(taskOptions.Task)!;
        var config = new Seq2SeqFineTuneConfig { Method = MethodRegistry.Seq2SeqDefaults(kind) };
        config = ConfigOverrides.Apply(config, parse.GetValue(overrides)!);
        if (parse.GetValue(seed) is { } s1) config = config with { Seed = s1 };
        var task = Seq2SeqFineTuneRun.LoadTask(taskName, config);
        config = (config with { Task = task.Name }).Validate();
        var folder = ModelFolder.Resolve(parse.GetValue(model) ?? ModelFolder.ShippedSeq2SeqDirectory()
            ?? throw new Training.Infrastructure.InputError("summarization needs a sequence-to-sequence model: pass --model <folder> (what pretrain-seq2seq writes under model/, or a Hugging Face BART folder)"));
        var name = $"{task.Name}-{kind}";
        return PlanRuns(parse, name, config.Seed, seed, seeds, jobs, output, forceNew, (s, runFolder) => Seq2SeqFineTuneRun.Plan(config with { Seed = s }, taskName, task, folder, runFolder),
            metrics => $"best dev ROUGE-1/2/L {100 * metrics.BestScores["rouge1"]:F2}/{100 * metrics.BestScores["rouge2"]:F2}/{100 * metrics.BestScores["rougeL"]:F2}");
    }

    /// <summary>
    /// One run, or with <c>--seeds</c> a sweep of runs (<c>--jobs</c> worker processes), each planned by
    /// <paramref name="plan"/> (seed, run folder) before anything is written; <paramref name="score"/> says a finished run's result.
    /// </summary>
    static CommandPlan PlanRuns(ParseResult parse, string name, int seedValue, Option<int?> seed, Option<string?> seeds, Option<int> jobs, Option<string?> output,
        Option<bool> forceNew, Func<int, string, RunPlan> plan, Func<FineTuneMetrics, FormattableString> score)
    {
        var force = parse.GetValue(forceNew);
        if (parse.GetValue(seeds) is { } seedText)
        {
            var list = SeedList.Parse(seedText);
            if (parse.GetValue(jobs) < 1) throw new Training.Infrastructure.InputError($"--jobs {parse.GetValue(jobs)}: expected a positive number");
            var root = parse.GetValue(output) ?? Path.Combine("results", "finetune", name);
            var plans = list.Select(s => plan(s, SeedSweep.SeedFolder(root, s))).ToList();
            return new CommandPlan(plans, () =>
            {
                CommonOptions.ApplyRuntime(parse);
                SeedSweep.Run(plans, parse.GetValue(jobs), root, force,
                    (p, threads) => WorkerArguments(parse, seeds, jobs, output, seed, p.Seed, p.Folder, threads));
                return 0;
            });
        }
        var runFolder = parse.GetValue(output) ?? Path.Combine("results", "finetune", $"{name}-seed{seedValue}");
        var single = plan(seedValue, runFolder);
        return new CommandPlan([single], () =>
        {
            CommonOptions.ApplyRuntime(parse);
            var metrics = FineTuneRun.Run(single, force);
            AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"{metrics.Task} {metrics.Method} seed {metrics.Seed}: {FormattableString.Invariant(score(metrics))} at step {metrics.BestStep} of {metrics.Steps}, {metrics.WallSeconds:F0} s; model: {Path.Combine(runFolder, FineTuner.BestFolder)}")));
            return 0;
        });
    }

    /// <summary>The same command line for one seed: the sweep options replaced by --seed, --out and --threads.</summary>
    static string[] WorkerArguments(ParseResult parse, Option seeds, Option jobs, Option output, Option seed, int value, string folder, int threads)
    {
        var skip = new HashSet<string> { seeds.Name, jobs.Name, output.Name, seed.Name, CommonOptions.Threads.Name };
        var arguments = new List<string>();
        var tokens = parse.Tokens.ToList();
        for (int i = 0; i < tokens.Count; i++)
        {
            if (skip.Contains(tokens[i].Value)) { i++; continue; }
            arguments.Add(tokens[i].Value);
        }
        return [.. arguments, "--seed", value.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", folder, "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture)];
    }
}
