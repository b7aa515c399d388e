using Probing.Training.Model;

namespace Probing.Training.Pretraining;

/// <summary>Everything that determines a masked-LM pretraining run (with the seed and thread count).</summary>
public sealed record PretrainConfig
{
    public EncoderConfig Model { get; init; } = new();
    public int SequenceLength { get; init; } = 128;
    public int BatchSize { get; init; } = 32;
    public int Steps { get; init; } = 3000;
    public double LearningRate { get; init; } = 1e-3;
    public double WarmupFraction { get; init; } = 0.05;
    public double WeightDecay { get; init; } = 0.01;
    public double ClipNorm { get; init; } = 1.0;
    public double SelectProbability { get; init; } = 0.15;
    public double MaskFraction { get; init; } = 0.8;
    public double RandomFraction { get; init; } = 0.1;
    /// <summary>Share of corpus lines held out for the masked-LM evaluation (never trained on).</summary>
    public double HeldOutFraction { get; init; } = 0.01;
    /// <summary>Held-out sequences the final evaluation masks and scores.</summary>
    public int EvalSequences { get; init; } = 512;
    public int CheckpointEvery { get; init; } = 500;
    /// <summary>
    /// Keep only vocabulary pieces the corpus uses at least this often (0 = the full vocabulary).
    /// 50 keeps ~11.7k of bert-base-uncased's 30.5k pieces: a 2.6× smaller embedding and output layer.
    /// </summary>
    public int VocabularyMinCount { get; init; } = 50;
    public int Seed { get; init; } = 1;

    public MaskingPolicy Masking => new(SelectProbability, MaskFraction, RandomFraction);

    /// <summary>
    /// Refuses values no run could use, before a run folder is created. The vocabulary size is known
    /// only once the corpus is read, so the model's shape is checked with it left out.
    /// </summary>
    public PretrainConfig Validate()
    {
        void Require(bool ok, string key, string expected)
        {
            if (!ok) throw new Infrastructure.InputError($"pretrain config {key}: expected {expected}");
        }
        Require(SequenceLength >= 3, "sequence_length", "at least 3");
        Require(BatchSize > 0, "batch_size", "a positive number");
        Require(Steps > 0, "steps", "a positive number");
        Require(LearningRate > 0, "learning_rate", "a positive number");
        Require(WarmupFraction is >= 0 and < 1, "warmup_fraction", "a fraction in [0, 1)");
        Require(WeightDecay >= 0, "weight_decay", "0 or a positive number");
        Require(ClipNorm > 0, "clip_norm", "a positive number");
        Require(SelectProbability is > 0 and <= 1, "select_probability", "a probability in (0, 1]");
        Require(MaskFraction is >= 0 and <= 1 && RandomFraction is >= 0 and <= 1 && MaskFraction + RandomFraction <= 1, "mask_fraction + random_fraction", "fractions that sum to at most 1");
        Require(HeldOutFraction is > 0 and < 1, "held_out_fraction", "a fraction in (0, 1)");
        Require(EvalSequences > 0, "eval_sequences", "a positive number");
        Require(CheckpointEvery > 0, "checkpoint_every", "a positive number of steps");
        Require(VocabularyMinCount >= 0, "vocabulary_min_count", "0 or a positive count");
        Require(Model.MaxPositionEmbeddings >= SequenceLength, "model.max_position_embeddings", $"at least sequence_length ({SequenceLength})");
        (Model with { VocabSize = Math.Max(Model.VocabSize, Model.PadTokenId + 1) }).Validate("pretrain config model");
        return this;
    }
    public int WarmupSteps => (int)Math.Round(Steps * WarmupFraction);

    /// <summary>Named starting points; any field can still be overridden with <c>--set</c>.</summary>
    public static PretrainConfig Preset(string name) => name switch
    {
        "default" => new PretrainConfig(),
        "tiny" => new PretrainConfig
        {
            Model = new EncoderConfig { HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 64, MaxPositionEmbeddings = 32 },
            SequenceLength = 32, BatchSize = 8, Steps = 40, EvalSequences = 32, CheckpointEvery = 20,
        },
        "base" => ScalingGrid.ShippedBase.Config,
        _ => throw new Infrastructure.InputError($"unknown preset '{name}'; valid presets: {string.Join(", ", PresetNames)}"),
    };

    public static readonly IReadOnlyList<string> PresetNames = ["tiny", "default", "base"];
}
