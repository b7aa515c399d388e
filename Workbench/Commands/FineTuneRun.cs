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

/// <summary>Runs one fine-tuning config inside a run folder: config, manifest, logs, best/ and last/, metrics, DONE.</summary>
public static class FineTuneRun
{
    /// <summary>Runs (or resumes) the config in <paramref name="folder"/>; a finished run is read back, not redone.</summary>
    public static FineTuneMetrics Run(FineTuneConfig config, TaskData task, ModelFolder model, string folder)
    {
        if (RunFolder.IsFinished(folder)) return ReadFinished(folder);
        var run = RunFolder.Start(folder, config);
        var manifest = RunManifest.Begin("finetune", config.Seed, "cpu");
        run.WriteManifest(manifest);
        var title = $"{task.Spec.Name} {Training.Regularizers.MethodRegistry.KindOf(config.Method)} seed {config.Seed}";
        var result = Terminal.ConsoleProgress.Run(title, progress => FineTuner.Run(config, task, model, run.Path, progress));
        result.Encoder.Dispose();
        var finished = manifest.Finish();
        var metrics = new FineTuneMetrics(
            task.Spec.Name, Training.Regularizers.MethodRegistry.KindOf(config.Method), config.Seed, TaskScore.Name(task.Spec.PrimaryMetric),
            result.BestDev.Primary, result.BestStep, Named(result.BestDev), Named(result.LastDev), result.Steps, result.TrainSeconds, finished.WallSeconds ?? 0);
        run.WriteMetrics(metrics);
        run.WriteManifest(finished);
        run.MarkDone();
        return metrics;
    }

    public static FineTuneMetrics ReadFinished(string folder) => Json.Read<FineTuneMetrics>(Path.Combine(folder, RunFolder.MetricsFile));

    static IReadOnlyDictionary<string, double> Named(TaskScore score) => score.Values.ToDictionary(v => TaskScore.Name(v.Key), v => v.Value);
}
