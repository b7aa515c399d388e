using System.Text.Json.Serialization;
using Probing.Training.Data;
using Probing.Training.Infrastructure;
using Probing.Training.Regularizers;

namespace Probing.Training.FineTuning;

/// <summary>Everything that determines a fine-tuning run (with the starting encoder, seed and thread count).</summary>
public sealed record FineTuneConfig
{
    /// <summary>The task's name (recorded; the data itself is passed to <see cref="FineTuner"/>).</summary>
    public string Task { get; init; } = "";
    [JsonConverter(typeof(MethodOptionsConverter))]
    public MethodOptions Method { get; init; } = new StandardOptions();
    public int Seed { get; init; } = 1;
    public int Epochs { get; init; } = 3;
    /// <summary>When positive, the number of steps (overrides <see cref="Epochs"/>).</summary>
    public int MaxSteps { get; init; }
    /// <summary>Examples per forward/backward pass; an optimizer step sees <see cref="BatchSize"/> × <see cref="GradAccumSteps"/>.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>
    /// Micro-batches whose gradients are accumulated (and averaged) before each optimizer step, so a
    /// large effective batch fits in memory; the steps, batch order and result are those of one batch of
    /// batch_size × grad_accum_steps (Hugging Face's gradient_accumulation_steps, fairseq's update_freq).
    /// </summary>
    public int GradAccumSteps { get; init; } = 1;
    public int MaxLength { get; init; } = 128;
    /// <summary>Peak learning rate; larger than BERT-base's 2e-5 because the shipped base is small.</summary>
    public double LearningRate { get; init; } = 1e-4;
    public double WarmupFraction { get; init; } = 0.06;
    public double WeightDecay { get; init; } = 0.01;
    public double ClipNorm { get; init; } = 1.0;
    /// <summary>Hidden, attention and head dropout during fine-tuning.</summary>
    public double Dropout { get; init; } = 0.1;
    /// <summary>Evaluate on dev every N steps (0 = at the end of every epoch), and always at the end.</summary>
    public int EvalEvery { get; init; }
    public int EvalBatchSize { get; init; } = 64;
    /// <summary>Stop after this many evaluations in a row without a new best <see cref="SelectionMetric"/> (0 = never stop early).</summary>
    public int Patience { get; init; }
    /// <summary>The dev metric that picks the best checkpoint and drives early stopping (any metric of the task; empty = the task's main metric).</summary>
    public string SelectionMetric { get; init; } = "";
    public int CheckpointEvery { get; init; } = 200;
    /// <summary>Start from the model folder's own head (its label count must match the task) instead of a fresh one.</summary>
    public bool ReuseHead { get; init; }

    public FineTuneConfig Validate()
    {
        void Require(bool ok, string key, string expected)
        {
            if (!ok) throw new InputError($"fine-tune config {key}: expected {expected}");
        }
        Require(Epochs > 0 || MaxSteps > 0, "epochs", "a positive number (or max_steps > 0)");
        Require(MaxSteps >= 0, "max_steps", "0 or a positive number");
        Require(BatchSize > 0, "batch_size", "a positive number");
        Require(GradAccumSteps > 0, "grad_accum_steps", "a positive number");
        Require(Patience >= 0, "patience", "0 (off) or a positive number of evaluations");
        Require(MaxLength >= 3, "max_length", "at least 3");
        Require(LearningRate > 0, "learning_rate", "a positive number");
        Require(WarmupFraction is >= 0 and < 1, "warmup_fraction", "a fraction in [0, 1)");
        Require(ClipNorm > 0, "clip_norm", "a positive number");
        Require(Dropout is >= 0 and < 1, "dropout", "a probability in [0, 1)");
        Require(EvalEvery >= 0, "eval_every", "0 or a positive number of steps");
        Require(EvalBatchSize > 0, "eval_batch_size", "a positive number");
        Require(CheckpointEvery > 0, "checkpoint_every", "a positive number of steps");
        Require(Method.LabelSmoothing is >= 0 and < 1, "method.label_smoothing", "a value in [0, 1)");
        return this;
    }

    /// <summary>
    /// The config with its batch capped to a training set smaller than one batch (a GLUE task such as
    /// WNLI or a small subset), and a note saying so; unchanged (note null) when the set holds a batch.
    /// </summary>
    public (FineTuneConfig Config, string? Note) FitTo(int trainExamples)
    {
        if (trainExamples <= 0 || trainExamples >= BatchSize * GradAccumSteps) return (this, null);
        var capped = GradAccumSteps > 1 && trainExamples / GradAccumSteps >= 1
            ? this with { BatchSize = trainExamples / GradAccumSteps }
            : this with { BatchSize = trainExamples, GradAccumSteps = 1 };
        return (capped, $"batch_size {BatchSize}{(GradAccumSteps > 1 ? $" × grad_accum_steps {GradAccumSteps}" : "")} is more than the {trainExamples} training examples; "
            + $"capped to batch_size {capped.BatchSize}{(capped.GradAccumSteps > 1 ? $" × grad_accum_steps {capped.GradAccumSteps}" : "")}");
    }

    /// <summary>The metric that selects the best evaluation on this task; an unknown name is an error listing the task's metrics.</summary>
    public MetricKind Selection(TaskSpec task)
    {
        if (SelectionMetric.Length == 0) return task.PrimaryMetric;
        foreach (var metric in task.Metrics)
            if (TaskScore.Name(metric) == SelectionMetric) return metric;
        throw new InputError($"fine-tune config selection_metric: '{SelectionMetric}' is not a metric of task {task.Name}; its metrics: {string.Join(", ", task.Metrics.Select(TaskScore.Name))}");
    }
}
