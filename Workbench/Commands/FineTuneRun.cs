using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Workbench.Runs;

namespace Probing.Workbench.Commands;

/// <summary>What <c>metrics.json</c> of a fine-tuning run holds.</summary>
public sealed record FineTuneMetrics(
    string Task, string Method, int Seed, string Metric, double BestDev, int BestStep,
    IReadOnlyDictionary<string, double> BestScores, IReadOnlyDictionary<string, double> LastScores,
    int Steps, double TrainSeconds, double WallSeconds);

/// <summary>One fine-tuning config as a run: identity, and what it writes (logs, best/ and last/, metrics.json).</summary>
public static class FineTuneRun
{
    public const string Kind = "finetune";

    /// <summary>
    /// Checks every input of the run (the config, the task's data, the model folder and, with
    /// reuse_head, its head) and returns the run as a plan; writes nothing.
    /// </summary>
    public static RunPlan Plan(FineTuneConfig config, TaskData task, string? glueDir, ModelFolder model, string folder)
    {
        FineTuner.Check(config, task);
        model.Validate();
        if (config.ReuseHead)
        {
            if (!FineTunedModel.HasHead(model.Path))
                throw InputError.InFile(model.File(HeadInfo.FileName), "reuse_head needs a fine-tuned model folder with a head");
            FineTunedModel.ReadHead(model.Path).CheckFits(task.Spec, model.File(HeadInfo.FileName));
        }
        var identity = RunIdentity.Of(Kind, config, RunInputs.Tasks([task.Spec.Name], glueDir).With("model", RunInputs.Model(model)));
        return new RunPlan(folder, identity, "finetune", config.Seed, run => Execute(config, task, model, run));
    }

    static void Execute(FineTuneConfig config, TaskData task, ModelFolder model, RunFolder run)
    {
        var title = $"{task.Spec.Name} {Training.Regularizers.MethodRegistry.KindOf(config.Method)} seed {config.Seed}";
        var result = Terminal.ConsoleProgress.Run(title, progress => FineTuner.Run(config, task, model, run.Path, progress));
        result.Encoder.Dispose();
        var finished = run.Finish();
        run.WriteMetrics(new FineTuneMetrics(
            task.Spec.Name, Training.Regularizers.MethodRegistry.KindOf(config.Method), config.Seed, TaskScore.Name(task.Spec.PrimaryMetric),
            result.BestDev.Primary, result.BestStep, Named(result.BestDev), Named(result.LastDev), result.Steps, result.TrainSeconds, finished.WallSeconds ?? 0));
    }

    /// <summary>Runs (or resumes) the plan; a finished run of the same identity is read back, not redone.</summary>
    public static FineTuneMetrics Run(RunPlan plan, bool forceNew)
    {
        RunFolder.Execute(plan, forceNew, Console.WriteLine);
        return ReadFinished(plan.Folder);
    }

    public static FineTuneMetrics ReadFinished(string folder) => Json.Read<FineTuneMetrics>(Path.Combine(folder, RunFolder.MetricsFile));

    static IReadOnlyDictionary<string, double> Named(TaskScore score) => score.Values.ToDictionary(v => TaskScore.Name(v.Key), v => v.Value);
}
