using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Training.Pretraining;

/// <summary>
/// Held-out reconstruction after denoising, teacher-forced: the loss and accuracy over every target
/// token, and the accuracy on the tokens the infilling removed (what the model had to infer)
/// beside always predicting the corpus's most frequent token there.
/// </summary>
public sealed record DenoisingEvaluation(double Loss, double TokenAccuracy, double InfilledAccuracy, double UnigramAccuracy, int InfilledTokens, int TargetTokens, string UnigramToken);

/// <summary>
/// BART-style denoising on <see cref="PretrainingLoop"/>: each packed sequence is corrupted by
/// <see cref="TextInfilling"/> into the encoder's input, and the decoder reconstructs the original
/// (cross entropy over every target token). The corruption of a step comes from the step's
/// generator, so resumed runs repeat uninterrupted ones exactly.
/// </summary>
public sealed class DenoisingPretrainer(DenoisingConfig config, ITextTokenizer tokenizer, PackedSequences train, string runDirectory, ITrainingProgress progress)
{
    const long EvaluationSeed = 20_202;
    readonly PretrainingLoop loop = new(runDirectory, progress, "denoise");

    public double TrainSeconds => loop.TrainSeconds;

    /// <summary>
    /// Builds the model, lets <paramref name="initialize"/> set its weights (random or warm start; not
    /// applied again on resume, where the checkpoint's weights win), and trains it up to <see cref="DenoisingConfig.Steps"/>.
    /// </summary>
    public Seq2SeqModel Train(Action<Seq2SeqModel> initialize)
    {
        if (train.Count < config.BatchSize)
            throw new InputError($"the corpus packs into {train.Count} sequences of {train.Length} tokens, fewer than one batch of {config.BatchSize}");
        var model = new Seq2SeqModel(config.Model);
        try
        {
            initialize(model);
            model.to(TorchRuntime.Device);
            loop.Train(model, config.Model, config.Loop, train.Count, (indices, generator) =>
            {
                var (batch, _) = Corrupt(indices.Select(i => train.Sequence(i).ToArray()).ToList(), generator);
                return Loss(model.Logits(OnDevice(batch)), OnDevice(batch));
            });
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Corrupts the first <see cref="DenoisingConfig.EvalSequences"/> held-out sequences with a fixed seed and scores the reconstruction.</summary>
    public DenoisingEvaluation Evaluate(Seq2SeqModel model, PackedSequences heldOut)
    {
        var count = Math.Min(config.EvalSequences, heldOut.Count);
        if (count == 0) throw new InputError("the held-out corpus is too small for one evaluation sequence; raise held_out_fraction");
        var unigram = train.MostFrequentToken(tokenizer);
        double lossSum = 0;
        long tokens = 0, correct = 0, infilled = 0, infilledCorrect = 0, unigramCorrect = 0;
        model.eval();
        using var _ = no_grad();
        using var generator = new Generator(EvaluationSeed);
        for (int first = 0; first < count; first += config.BatchSize)
        {
            using var scope = NewDisposeScope();
            var rows = Enumerable.Range(first, Math.Min(config.BatchSize, count - first)).Select(i => heldOut.Sequence(i).ToArray()).ToList();
            var (batch, removed) = Corrupt(rows, generator);
            var logits = model.Logits(OnDevice(batch)).cpu();
            var real = batch.LabelMask.to(ScalarType.Bool);
            lossSum += nn.functional.cross_entropy(logits[real], batch.Labels[real], reduction: nn.Reduction.Sum).item<float>();
            var hits = logits.argmax(-1).eq(batch.Labels).logical_and_(real);
            tokens += real.sum().item<long>();
            correct += hits.sum().item<long>();
            infilled += removed.sum().item<long>();
            infilledCorrect += hits.logical_and(removed).sum().item<long>();
            unigramCorrect += batch.Labels.eq(unigram).logical_and_(removed).sum().item<long>();
        }
        return new DenoisingEvaluation(lossSum / tokens, (double)correct / tokens, (double)infilledCorrect / infilled, (double)unigramCorrect / infilled,
            (int)infilled, (int)tokens, tokenizer.Vocabulary[unigram]);
    }

    /// <summary>Mean cross entropy over the real target tokens.</summary>
    public static Tensor Loss(Tensor logits, Seq2SeqBatch batch)
    {
        var targets = batch.Labels.masked_fill(batch.LabelMask.eq(0), -100);
        return nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index: -100);
    }

    /// <summary>Infilled sources, the originals as labels, and which label positions the infilling removed (B × T, bool).</summary>
    (Seq2SeqBatch Batch, Tensor Removed) Corrupt(IReadOnlyList<int[]> sequences, Generator generator)
    {
        // One draw from the step's generator seeds the infilling's own generator: reproducible per step.
        var random = new Random((int)randint(int.MaxValue, [1], dtype: int64, generator: generator).item<long>());
        var infilled = sequences.Select(s => config.Infilling.Apply(s, tokenizer.MaskId, random)).ToList();
        var maxSource = config.Model.MaxPositionEmbeddings;
        var sources = infilled.Select(i => i.Source.Length <= maxSource ? i.Source : [.. i.Source[..(maxSource - 1)], i.Source[^1]]).ToList();
        var batch = Seq2SeqBatch.FromIds(sources, sequences, config.Model.PadTokenId, config.Model.DecoderStartTokenId);
        var removed = tensor(infilled.SelectMany(i => i.Removed).ToArray(), [sequences.Count, sequences[0].Length]);
        return (batch, removed);
    }

    static Seq2SeqBatch OnDevice(Seq2SeqBatch batch)
    {
        var device = TorchRuntime.Device;
        return device.type == DeviceType.CPU ? batch
            : new Seq2SeqBatch(batch.SourceIds.to(device), batch.SourceMask.to(device), batch.DecoderInputIds.to(device), batch.Labels.to(device), batch.LabelMask.to(device));
    }
}
