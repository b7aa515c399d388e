using System.Diagnostics;
using CsvHelper;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Optimization;
using Probing.Training.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Training.Pretraining;

[CsvRecord]
public partial record PretrainLogRow(int Step, double Loss, double LearningRate, double GradNorm, double ElapsedSeconds);

/// <summary>Held-out masked-token accuracy of the model beside always predicting the corpus's most frequent token.</summary>
public sealed record MaskedLmEvaluation(double MaskedAccuracy, double UnigramAccuracy, double Loss, int MaskedTokens, string UnigramToken);

/// <summary>
/// Masked-LM pretraining. Every step draws its batch, masks and dropout from (seed, step) alone, so
/// a run resumed from a checkpoint continues the exact loss sequence of an uninterrupted one.
/// </summary>
public sealed class Pretrainer(PretrainConfig config, ITextTokenizer tokenizer, PackedSequences train, string runDirectory, ITrainingProgress progress)
{
    public const string CheckpointFolder = "checkpoints";
    public const string LogFile = "train_log.csv";
    const long EvaluationSeed = 20_201;

    /// <summary>Seconds of training behind the returned model, summed over every resumed piece (steps redone after a kill count once).</summary>
    public double TrainSeconds { get; private set; }

    string CheckpointPath => Path.Combine(runDirectory, CheckpointFolder);
    string LogPath => Path.Combine(runDirectory, LogFile);

    /// <summary>Trains up to <see cref="PretrainConfig.Steps"/> (resuming from the run's checkpoint if there is one) and returns the model.</summary>
    public MaskedLanguageModel Train()
    {
        if (train.Count < config.BatchSize)
            throw new InputError($"the corpus packs into {train.Count} sequences of {train.Length} tokens, fewer than one batch of {config.BatchSize}");
        var model = new MaskedLanguageModel(config.Model);
        Initialization.Apply(model, config.Model, config.Seed);
        // Initialised on the CPU generator (the same weights on every device), then moved before the optimizer sees the parameters.
        model.to(TorchRuntime.Device);
        using var optimizer = new AdamW(model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), config.WeightDecay);
        var schedule = new LearningRateSchedule(config.LearningRate, config.WarmupSteps, config.Steps);
        var log = new List<PretrainLogRow>();
        var (start, elapsedBefore) = Resume(model, optimizer, log);
        var lastCheckpoint = start;
        var order = new BatchOrder(train.Count, config.BatchSize, config.Seed);
        var parameters = model.parameters().ToList();
        var clock = Stopwatch.StartNew();
        model.train();

        for (int step = start; step < config.Steps; step++)
        {
            using var scope = NewDisposeScope();
            manual_seed(StepSeed(step));
            using var generator = new Generator((ulong)StepSeed(step) ^ 0x5DEECE66DUL);
            var ids = BatchTensor(order.Batch(step));
            var batch = config.Masking.Apply(ids, IsSpecial(ids), tokenizer.MaskId, tokenizer.VocabSize, generator);
            var logits = PredictMasked(model, batch, ids);
            var loss = nn.functional.cross_entropy(logits, batch.Labels.to(TorchRuntime.Device));
            var lossValue = loss.item<float>();
            var elapsed = elapsedBefore + clock.Elapsed.TotalSeconds;
            if (!double.IsFinite(lossValue))
                throw new TrainingDiverged($"{runDirectory}: pretraining loss became {lossValue} at step {step + 1}; " + TrainingDiverged.CheckpointNote(lastCheckpoint, config.CheckpointEvery));
            loss.backward();
            var gradNorm = nn.utils.clip_grad_norm_(parameters, config.ClipNorm);
            var learningRate = schedule.At(step);
            optimizer.Step(learningRate);
            optimizer.ZeroGrad();

            log.Add(new PretrainLogRow(step + 1, lossValue, learningRate, gradNorm, Math.Round(elapsed, 3)));
            progress.Report(new TrainingStatus("pretrain", step + 1, config.Steps, lossValue, learningRate, TimeSpan.FromSeconds(elapsed)));
            if ((step + 1) % config.CheckpointEvery == 0 || step + 1 == config.Steps)
            {
                SaveCheckpoint(model, optimizer, log, step + 1, elapsed);
                lastCheckpoint = step + 1;
            }
        }
        TrainSeconds = elapsedBefore + clock.Elapsed.TotalSeconds;
        model.eval();
        return model;
    }

    /// <summary>Masks the first <see cref="PretrainConfig.EvalSequences"/> held-out sequences with a fixed seed and scores the predictions.</summary>
    public MaskedLmEvaluation Evaluate(MaskedLanguageModel model, PackedSequences heldOut)
    {
        var unigram = MostFrequentToken();
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

    long StepSeed(int step) => config.Seed * 1_000_003L + step;

    int MostFrequentToken()
    {
        var counts = new long[tokenizer.VocabSize];
        foreach (var id in train.Tokens) counts[id]++;
        int best = -1;
        for (int id = 0; id < counts.Length; id++)
            if (!tokenizer.IsSpecial(id) && (best < 0 || counts[id] > counts[best])) best = id;
        return best;
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

    void SaveCheckpoint(MaskedLanguageModel model, AdamW optimizer, List<PretrainLogRow> log, int step, double elapsed)
    {
        CsvTable.Write(LogPath, log);
        TrainingCheckpoint.Save(CheckpointPath, model, config.Model, optimizer, new TrainingCheckpoint.State(step, elapsed), files: [LogPath]);
    }

    (int Step, double Elapsed) Resume(MaskedLanguageModel model, AdamW optimizer, List<PretrainLogRow> log)
    {
        var restored = TrainingCheckpoint.TryLoad(CheckpointPath, model, optimizer, report: progress.Message);
        if (restored is null) return (0, 0);
        var state = restored.State;
        var savedLog = Path.Combine(restored.Folder, LogFile);
        if (File.Exists(savedLog)) log.AddRange(CsvTable.Read<PretrainLogRow>(savedLog).Where(r => r.Step <= state.Step));
        progress.Message($"resuming from step {state.Step} ({restored.Folder})");
        return (state.Step, state.ElapsedSeconds);
    }
}
