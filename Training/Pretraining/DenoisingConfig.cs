using Probing.Training.Infrastructure;
using Probing.Training.Model;

namespace Probing.Training.Pretraining;

/// <summary>How a warm-started decoder begins (the encoder is always copied).</summary>
public enum DecoderInitialization
{
    /// <summary>Each decoder layer's self-attention, feed-forward and LayerNorms copied from the encoder layer of the same index; cross-attention random (Rothe et al. 2020's BERT2BERT).</summary>
    Encoder,
    /// <summary>The whole decoder freshly initialised (Rothe et al.'s BERT2RND).</summary>
    Random,
}

/// <summary>Everything that determines a denoising (BART text-infilling) pretraining run, with the seed and thread count.</summary>
public sealed record DenoisingConfig
{
    /// <summary>
    /// The model's shape. With a warm start, the encoder side (d_model, encoder layers, heads and
    /// feed-forward width, positions) must equal the starting encoder's; token ids come from its
    /// tokenizer either way.
    /// </summary>
    public Seq2SeqConfig Model { get; init; } = new();
    /// <summary>An encoder folder to start from (<c>base</c>: the shipped <c>data/base</c>), or <c>none</c> for random weights.</summary>
    public string WarmStart { get; init; } = "base";
    public DecoderInitialization DecoderInit { get; init; } = DecoderInitialization.Encoder;
    public int SequenceLength { get; init; } = 64;
    public int BatchSize { get; init; } = 32;
    public int Steps { get; init; } = 3000;
    public double LearningRate { get; init; } = 5e-4;
    public double WarmupFraction { get; init; } = 0.05;
    public double WeightDecay { get; init; } = 0.01;
    public double ClipNorm { get; init; } = 1.0;
    /// <summary>Share of tokens the infilling removes (BART: 0.3).</summary>
    public double MaskRatio { get; init; } = 0.3;
    /// <summary>Mean span length (BART: λ = 3).</summary>
    public double PoissonLambda { get; init; } = 3.0;
    /// <summary>Share of corpus lines held out for the evaluation (never trained on).</summary>
    public double HeldOutFraction { get; init; } = 0.01;
    /// <summary>Held-out sequences the final evaluation corrupts and scores.</summary>
    public int EvalSequences { get; init; } = 256;
    public int CheckpointEvery { get; init; } = 250;
    /// <summary>Without a warm start: keep vocabulary pieces the corpus uses at least this often (0 = all), as masked-LM pretraining does.</summary>
    public int VocabularyMinCount { get; init; } = 50;
    public int Seed { get; init; } = 1;

    public const string ShippedBase = "base", NoWarmStart = "none";

    public TextInfilling Infilling => new(MaskRatio, PoissonLambda);
    public int WarmupSteps => (int)Math.Round(Steps * WarmupFraction);
    public LoopSettings Loop => new(BatchSize, Steps, LearningRate, WarmupSteps, WeightDecay, ClipNorm, CheckpointEvery, Seed);

    public void Validate()
    {
        void Require(bool ok, string key, string expected)
        {
            if (!ok) throw new InputError($"{key}: expected {expected}");
        }
        Require(SequenceLength >= 4, "sequence_length", "at least 4");
        Require(BatchSize > 0, "batch_size", "a positive integer");
        Require(Steps > 0, "steps", "a positive integer");
        Require(LearningRate > 0, "learning_rate", "a positive number");
        Require(MaskRatio is > 0 and < 1, "mask_ratio", "a share in (0, 1)");
        Require(PoissonLambda > 0, "poisson_lambda", "a positive number");
        Require(HeldOutFraction is > 0 and < 1, "held_out_fraction", "a share in (0, 1)");
        Require(EvalSequences > 0, "eval_sequences", "a positive integer");
        Require(CheckpointEvery > 0, "checkpoint_every", "a positive integer");
    }

    /// <summary>Named starting points; any key can still be overridden with <c>--set</c>.</summary>
    public static DenoisingConfig Preset(string name) => name switch
    {
        // The shipped base's shape (2 × 128, 2 heads, FFN 512, 128 positions) on both sides.
        "base" => new DenoisingConfig(),
        "tiny" => new DenoisingConfig
        {
            Model = new Seq2SeqConfig { DModel = 32, EncoderLayers = 1, DecoderLayers = 1, EncoderFfnDim = 64, DecoderFfnDim = 64, MaxPositionEmbeddings = 32 },
            WarmStart = NoWarmStart, SequenceLength = 32, BatchSize = 8, Steps = 40, EvalSequences = 16, CheckpointEvery = 20,
        },
        _ => throw new InputError($"unknown preset '{name}'; valid presets: {string.Join(", ", PresetNames)}"),
    };

    public static readonly IReadOnlyList<string> PresetNames = ["tiny", "base"];
}
