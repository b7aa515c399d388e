using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Training.Pretraining;

/// <summary>Held-out masked-token accuracy of the model beside always predicting the corpus's most frequent token.</summary>
public sealed record MaskedLmEvaluation(double MaskedAccuracy, double UnigramAccuracy, double Loss, int MaskedTokens, string UnigramToken);

/// <summary>
/// Masked-LM pretraining on <see cref="PretrainingLoop"/>: every step draws its batch, masks and
/// dropout from (seed, step) alone, so a run resumed from a checkpoint continues the exact loss
/// sequence of an uninterrupted one.
/// </summary>
public sealed class Pretrainer(PretrainConfig config, ITextTokenizer tokenizer, PackedSequences train, string runDirectory, ITrainingProgress progress)
{
    public const string CheckpointFolder = PretrainingLoop.CheckpointFolder;
    public const string LogFile = PretrainingLoop.LogFile;
    const long EvaluationSeed = 20_201;

    readonly PretrainingLoop loop = new(runDirectory, progress, "pretrain");

    /// <summary>Seconds of training behind the returned model, summed over every resumed piece (steps redone after a kill count once).</summary>
    public double TrainSeconds => loop.TrainSeconds;

    public LoopSettings Settings => new(config.BatchSize, config.Steps, config.LearningRate, config.WarmupSteps, config.WeightDecay, config.ClipNorm, config.CheckpointEvery, config.Seed);

    /// <summary>Trains up to <see cref="PretrainConfig.Steps"/> (resuming from the run's checkpoint if there is one) and returns the model.</summary>
    public MaskedLanguageModel Train()
    {
        if (train.Count < config.BatchSize)
            throw new InputError($"the corpus packs into {train.Count} sequences of {train.Length} tokens, fewer than one batch of {config.BatchSize}");
        var model = new MaskedLanguageModel(config.Model);
        Initialization.Apply(model, config.Model, config.Seed);
        // Initialised on the CPU generator (the same weights on every device), then moved before the optimizer sees the parameters.
        model.to(TorchRuntime.Device);
        loop.Train(model, config.Model, Settings, train.Count, (indices, generator) =>
        {
            var ids = BatchTensor(indices);
            var batch = config.Masking.Apply(ids, IsSpecial(ids), tokenizer.MaskId, tokenizer.VocabSize, generator);
            var logits = PredictMasked(model, batch, ids);
            return nn.functional.cross_entropy(logits, batch.Labels.to(TorchRuntime.Device));
        });
        return model;
    }

    /// <summary>Masks the first <see cref="PretrainConfig.EvalSequences"/> held-out sequences with a fixed seed and scores the predictions.</summary>
    public MaskedLmEvaluation Evaluate(MaskedLanguageModel model, PackedSequences heldOut)
    {
        var unigram = train.MostFrequentToken(tokenizer);
        long correct = 0, unigramCorrect = 0, total = 0;
        double lossSum = 0;
        model.eval();
        using var _ = no_grad();
        using var generator = new Generator(EvaluationSeed);
        var count = Math.Min(config.EvalSequences, heldOut.Count);
        if (count == 0) throw new InputError("the held-out corpus is too small for one evaluation sequence; raise held_out_fraction");
        for (int first = 0; first < count; first += config.BatchSize)
        {
            using var scope = NewDisposeScope();
            var ids = BatchTensor(Enumerable.Range(first, Math.Min(config.BatchSize, count - first)).Select(i => heldOut.Sequence(i).ToArray()));
            var batch = config.Masking.Apply(ids, IsSpecial(ids), tokenizer.MaskId, tokenizer.VocabSize, generator);
            var logits = PredictMasked(model, batch, ids);
            var labels = batch.Labels.to(TorchRuntime.Device);
            var n = labels.shape[0];
            if (n == 0) continue;
            lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
            correct += logits.argmax(-1).eq(labels).sum().item<long>();
            unigramCorrect += labels.eq(unigram).sum().item<long>();
            total += n;
        }
        return new MaskedLmEvaluation((double)correct / total, (double)unigramCorrect / total, lossSum / total, (int)total, tokenizer.Vocabulary[unigram]);
    }

    /// <summary>Masks are drawn on the CPU (same masks on every device); the forward pass runs on the configured device.</summary>
    static Tensor PredictMasked(MaskedLanguageModel model, MaskedBatch batch, Tensor ids)
    {
        var device = TorchRuntime.Device;
        var onDevice = ids.to(device);
        return model.PredictMasked(batch.InputIds.to(device), zeros_like(onDevice), ones_like(onDevice), batch.Selected.to(device));
    }

    Tensor BatchTensor(IEnumerable<int[]> sequences)
    {
        var rows = sequences.ToList();
        var flat = new long[rows.Count * train.Length];
        for (int r = 0; r < rows.Count; r++)
            for (int t = 0; t < train.Length; t++) flat[r * train.Length + t] = rows[r][t];
        return tensor(flat, [rows.Count, train.Length]);
    }

    Tensor BatchTensor(IReadOnlyList<int> indices) => BatchTensor(indices.Select(i => train.Sequence(i).ToArray()));

    Tensor IsSpecial(Tensor ids) => ids.eq(tokenizer.ClsId).logical_or_(ids.eq(tokenizer.SepId)).logical_or_(ids.eq(tokenizer.PadId));
}
