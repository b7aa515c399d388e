using static TorchSharp.torch;

namespace Probing.Training.Pretraining;

/// <summary>A masked batch: the corrupted input, which positions to predict, and their original ids.</summary>
public sealed record MaskedBatch(Tensor InputIds, Tensor Selected, Tensor Labels);

/// <summary>
/// BERT's masking: each regular token is selected with probability <see cref="SelectProbability"/>;
/// a selected token becomes [MASK] with probability <see cref="MaskFraction"/>, a uniformly random
/// vocabulary id with probability <see cref="RandomFraction"/>, and stays as it is otherwise.
/// Special tokens ([CLS], [SEP], [PAD]) are never selected.
/// </summary>
public sealed record MaskingPolicy(double SelectProbability = 0.15, double MaskFraction = 0.8, double RandomFraction = 0.1)
{
    public MaskedBatch Apply(Tensor inputIds, Tensor isSpecial, int maskId, int vocabSize, Generator generator)
    {
        var shape = inputIds.shape;
        var selectProbability = full(shape, SelectProbability, dtype: float32).masked_fill_(isSpecial, 0);
        var selected = bernoulli(selectProbability, generator).to(@bool);
        var masked = bernoulli(full(shape, MaskFraction, dtype: float32), generator).to(@bool).logical_and_(selected);
        var randomShare = RandomFraction / (1 - MaskFraction);   // of those not turned into [MASK]
        var randomized = bernoulli(full(shape, randomShare, dtype: float32), generator).to(@bool)
            .logical_and_(selected).logical_and_(masked.logical_not());
        var randomIds = randint(vocabSize, shape, dtype: int64, generator: generator);
        var corrupted = inputIds.masked_fill(masked, maskId);
        corrupted = where(randomized, randomIds, corrupted);
        return new MaskedBatch(corrupted, selected, inputIds[selected]);
    }
}
