using Probing.Probing.Features;
using Probing.Training.Checkpoints;
using Probing.Training.Data.Summarization;
using Probing.Training.FineTuning;
using Probing.Training.Regularizers;

namespace Probing.Probing.Protocols;

/// <summary>
/// The generalization protocol (<see cref="MethodGeneralization"/>) for a generator: for each (method,
/// seed), fine-tune the seq2seq base on a summarization task (<see cref="Seq2SeqFineTuner"/>, the same
/// fine-tuning as <c>finetune</c> on that task) and probe the fine-tuned model's encoder on the probed
/// tasks, with CKA to the base's encoder; the base's and a random encoder's probes are the references.
/// The collapse question asked of a generator (Aghajanyan et al. 2020): does R3F keep the encoder's
/// general features better than standard fine-tuning? Stage rows carry the run's best dev ROUGE-L.
/// Folders and resumption as in <see cref="StagedFineTuning"/>: <c>finetune/&lt;method&gt;-seed&lt;n&gt;/stage-01-&lt;task&gt;/</c>.
/// </summary>
public static class Seq2SeqGeneralization
{
    public static ProtocolResults Run(SummarizationTask task, IReadOnlyList<Seq2SeqFineTuneConfig> methods, IReadOnlyList<int> seeds,
        ProtocolContext context, string root, int randomSeed)
    {
        var references = MethodGeneralization.References(context, seeds, Path.Combine(root, MethodGeneralization.ReferenceFolder), randomSeed);
        var staged = new StagedFineTuning(MethodGeneralization.Plan(task.Name, context.Probe.Tasks), context);
        var stage = new ProbeStage(MethodGeneralization.Protocol, task.Name, 1);
        var parts = new List<ProtocolResults> { references };
        foreach (var config in methods)
            foreach (var seed in seeds)
            {
                var method = MethodRegistry.KindOf(config.Method);
                var name = $"{StagedFineTuning.RunName(method, seed)}/{StagedFineTuning.StageFolderName(stage.Index, stage.Name)}";
                var folder = Path.Combine(root, MethodGeneralization.FineTuneFolder, name);
                if (File.Exists(Path.Combine(folder, StagedFineTuning.DoneFile)))
                {
                    parts.Add(StagedFineTuning.ReadStage(folder));
                    continue;
                }
                Directory.CreateDirectory(folder);
                context.Log($"{stage.Protocol} {method} seed {seed}: fine-tuning {task.Name}");
                var result = new Seq2SeqFineTuner(config with { Seed = seed, Task = task.Name }, task, context.Base, folder, context.Progress).Run();
                StageRow[] stages = [new(stage.Protocol, method, seed, stage.Index, task.Name, Seq2SeqFineTuner.SelectionMetric,
                    result.Best[Seq2SeqFineTuner.SelectionMetric].Value, result.TrainSeconds, result.Steps)];
                // The encoder of the model fine-tuning ended with, as a classification stage probes its last/.
                var encoder = new CheckpointFeatureSource(name, ModelFolder.Resolve(result.LastFolder));
                parts.Add(staged.Finish(folder, new ProbedModel(ProbedModel.CheckpointRole, encoder, method, seed), stage, stages));
            }
        return ProtocolResults.Concat(parts);
    }
}
