using System.Text.Json.Serialization;
using Probing.Training.Generation;
using Probing.Training.Infrastructure;
using Probing.Training.Regularizers;

namespace Probing.Training.FineTuning;

/// <summary>
/// Everything that determines a sequence-to-sequence fine-tuning run (with the starting model, seed
/// and thread count): the optimisation as for classification, the source and target lengths, and how
/// dev summaries are decoded for ROUGE (<see cref="Generation"/>: <c>generation.beam_size</c>, …).
/// </summary>
public sealed record Seq2SeqFineTuneConfig
{
    /// <summary>The task's name (recorded; the data itself is passed to <see cref="Seq2SeqFineTuner"/>).</summary>
    public string Task { get; init; } = "";
    /// <summary>For a JSONL folder: the fields holding document and summary (docs/summarization.md).</summary>
    public string DocumentField { get; init; } = "document";
    public string SummaryField { get; init; } = "summary";
    [JsonConverter(typeof(MethodOptionsConverter))]
    public MethodOptions Method { get; init; } = new StandardOptions();
    public int Seed { get; init; } = 1;
    public int Epochs { get; init; } = 3;
    /// <summary>When positive, the number of steps (overrides <see cref="Epochs"/>).</summary>
    public int MaxSteps { get; init; }
    public int BatchSize { get; init; } = 32;
    /// <summary>Source tokens kept (special tokens included; at most the model's positions).</summary>
    public int MaxSourceLength { get; init; } = 128;
    /// <summary>Target tokens trained on (special tokens included; at most the model's positions).</summary>
    public int MaxTargetLength { get; init; } = 32;
    public double LearningRate { get; init; } = 3e-4;
    public double WarmupFraction { get; init; } = 0.06;
    public double WeightDecay { get; init; } = 0.01;
    public double ClipNorm { get; init; } = 1.0;
    /// <summary>Hidden and attention dropout of encoder and decoder during fine-tuning.</summary>
    public double Dropout { get; init; } = 0.1;
    /// <summary>Evaluate on dev every N steps (0 = at the end of every epoch), and always at the end.</summary>
    public int EvalEvery { get; init; }
    /// <summary>Dev examples decoded and scored (the first N in file order; 0 = all).</summary>
    public int EvalExamples { get; init; }
    public int EvalBatchSize { get; init; } = 32;
    public int CheckpointEvery { get; init; } = 200;
    /// <summary>Decoding of dev summaries: beam size, length penalty, min/max length, no-repeat n-gram size.</summary>
    public GenerationOptions Generation { get; init; } = new() { BeamSize = 4, MaxLength = 32, NoRepeatNgramSize = 3 };

    public Seq2SeqFineTuneConfig Validate()
    {
        void Require(bool ok, string key, string expected)
        {
            if (!ok) throw new InputError($"seq2seq fine-tune config {key}: expected {expected}");
        }
        Require(DocumentField.Length > 0 && SummaryField.Length > 0, "document_field/summary_field", "field names");
        Require(Epochs > 0 || MaxSteps > 0, "epochs", "a positive number (or max_steps > 0)");
        Require(MaxSteps >= 0, "max_steps", "0 or a positive number");
        Require(BatchSize > 0, "batch_size", "a positive number");
        Require(MaxSourceLength >= 3, "max_source_length", "at least 3");
        Require(MaxTargetLength >= 3, "max_target_length", "at least 3");
        Require(LearningRate > 0, "learning_rate", "a positive number");
        Require(WarmupFraction is >= 0 and < 1, "warmup_fraction", "a fraction in [0, 1)");
        Require(ClipNorm > 0, "clip_norm", "a positive number");
        Require(Dropout is >= 0 and < 1, "dropout", "a probability in [0, 1)");
        Require(EvalEvery >= 0, "eval_every", "0 or a positive number of steps");
        Require(EvalExamples >= 0, "eval_examples", "0 (all) or a positive number");
        Require(EvalBatchSize > 0, "eval_batch_size", "a positive number");
        Require(CheckpointEvery > 0, "checkpoint_every", "a positive number of steps");
        Require(Method.LabelSmoothing is >= 0 and < 1, "method.label_smoothing", "a value in [0, 1)");
        Generation.Validate();
        return this;
    }
}
