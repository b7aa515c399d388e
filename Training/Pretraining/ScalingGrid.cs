using Probing.Training.Model;

namespace Probing.Training.Pretraining;

/// <summary>
/// An encoder shape for the scaling table, with the learning rate it pretrains at and the seconds
/// one pretraining step (32 × 128 tokens) took on the reference machine (2-core AMD EPYC, 2 threads,
/// otherwise idle), which turns a CPU budget into a step count.
/// </summary>
public sealed record ModelSize(string Name, int Layers, int Hidden, int Heads, double LearningRate, double ReferenceStepSeconds)
{
    public EncoderConfig Shape => new() { NumHiddenLayers = Layers, HiddenSize = Hidden, NumAttentionHeads = Heads, IntermediateSize = 4 * Hidden };
}

/// <summary>One (size, budget) cell: a pretraining run with its own full learning-rate schedule.</summary>
public sealed record ScalingCell(ModelSize Size, int BudgetMinutes)
{
    public string Name => $"{Size.Name}-{BudgetMinutes}min";

    /// <summary>The budget in steps at the reference speed, rounded to hundreds (so a cell's config does not drift with the clock).</summary>
    public int Steps => Math.Max(100, (int)Math.Round(BudgetMinutes * 60 / Size.ReferenceStepSeconds / 100, MidpointRounding.AwayFromZero) * 100);

    public PretrainConfig Config => new()
    {
        Model = Size.Shape, Steps = Steps, LearningRate = Size.LearningRate,
        VocabularyMinCount = ScalingGrid.VocabularyMinCount, CheckpointEvery = 250,
    };
}

/// <summary>
/// The sizes and budgets of <c>workbench scaling</c>. Sizes follow Turc et al. (2019)'s compact BERTs
/// (tiny 2 × 128, mini 4 × 256, small 4 × 512). Step times: <c>workbench pretrain --set steps=40</c>
/// per shape on the reference machine.
/// </summary>
public static class ScalingGrid
{
    /// <summary>Pieces used ≥ 80 times in the corpus (9.1k): keeps a 4 × 256 base's float32 weights under 25 MB.</summary>
    public const int VocabularyMinCount = 80;

    public static readonly IReadOnlyList<ModelSize> Sizes =
    [
        new("2x128", 2, 128, 2, 1e-3, 0.19),
        new("4x256", 4, 256, 4, 7e-4, 0.64),
        new("4x512", 4, 512, 8, 5e-4, 2.0),
    ];

    public static readonly IReadOnlyList<int> BudgetMinutes = [15, 60, 180];

    /// <summary>
    /// The shipped base: tiny (2 × 128) for one hour (docs/base-encoder.md). Three hours of the same size lift
    /// masked-token accuracy from 14.5 to 23.5 % but the mean probe gap only from +8.8 to +9.4 pts, at 3× the rebuild time.
    /// </summary>
    public static ScalingCell ShippedBase => new(Size("2x128"), 60);

    public static ModelSize Size(string name) => Sizes.FirstOrDefault(s => s.Name == name)
        ?? throw new Infrastructure.InputError($"unknown model size '{name}'; valid sizes: {string.Join(", ", Sizes.Select(s => s.Name))}");
}
