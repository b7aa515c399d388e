using Probing.Training.Checkpoints;
using Probing.Training.Data.Summarization;
using Probing.Training.FineTuning;
using Probing.Training.Regularizers;
using Probing.Workbench.Runs;

namespace Probing.Workbench.Commands;

/// <summary>
/// One seq2seq fine-tuning config as a run: identity (config, the task's files, the model folder) and
/// what it writes (logs, best/ and last/, dev predictions, metrics.json in <see cref="FineTuneMetrics"/>'
/// form with the ROUGE F1s and their bounds as scores, so seed sweeps and reports read it as any fine-tuning run).
/// </summary>
public static class Seq2SeqFineTuneRun
{
    public const string Kind = "finetune-seq2seq";

    /// <summary>Loads the task the config names (an embedded name or a folder).</summary>
    public static SummarizationTask LoadTask(string nameOrFolder, Seq2SeqFineTuneConfig config) =>
        SummarizationCatalog.Load(nameOrFolder, new SummaryFields(config.DocumentField, config.SummaryField));

    /// <summary>Checks every input of the run (config, task data, model folder) and returns it as a plan; writes nothing.</summary>
    public static RunPlan Plan(Seq2SeqFineTuneConfig config, string taskNameOrFolder, SummarizationTask task, ModelFolder model, string folder)
    {
        Seq2SeqFineTuner.Check(config, task, model);
        model.Validate();
        var (root, files) = SummarizationCatalog.SourceFiles(taskNameOrFolder);
        var inputs = new Dictionary<string, InputFiles> { ["task"] = InputFiles.Of(root, files), ["model"] = RunInputs.Model(model) };
        return new RunPlan(folder, RunIdentity.Of(Kind, config, inputs), "finetune", config.Seed, run => Execute(config, task, model, run));
    }

    static void Execute(Seq2SeqFineTuneConfig config, SummarizationTask task, ModelFolder model, RunFolder run)
    {
        var kind = MethodRegistry.KindOf(config.Method);
        var result = Terminal.ConsoleProgress.Run($"{task.Name} {kind} seed {config.Seed}",
            progress => new Seq2SeqFineTuner(config, task, model, run.Path, progress).Run());
        var finished = run.Finish();
        run.WriteMetrics(new FineTuneMetrics(task.Name, kind, config.Seed, Seq2SeqFineTuner.SelectionMetric,
            result.Best[Seq2SeqFineTuner.SelectionMetric].Value, result.BestStep, Scores(result.Best), Scores(result.Last),
            result.Steps, result.TrainSeconds, finished.WallSeconds ?? 0));
    }

    /// <summary>rouge1, rouge1_low, rouge1_high, … (F1, fractions).</summary>
    static IReadOnlyDictionary<string, double> Scores(IReadOnlyDictionary<string, Seq2SeqEvalRow> rows) =>
        rows.Values.SelectMany(r => new[] { (r.Metric, r.Value), (r.Metric + "_low", r.Low), (r.Metric + "_high", r.High) }).ToDictionary(p => p.Item1, p => p.Item2);
}
