using System.Diagnostics;
using CsvHelper;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Training.Pretraining;

[CsvRecord]
public partial record PretrainLogRow(int Step, double Loss, double LearningRate, double GradNorm, double ElapsedSeconds);

/// <summary>The optimisation settings every pretraining objective shares.</summary>
public sealed record LoopSettings(int BatchSize, int Steps, double LearningRate, int WarmupSteps, double WeightDecay, double ClipNorm, int CheckpointEvery, int Seed);

/// <summary>
/// What masked-LM and denoising pretraining share: AdamW with warm-up and linear decay, gradient
/// clipping, <c>train_log.csv</c> (and its scalars as TensorBoard events), and a checkpoint in the run folder every so many steps. Every step
/// draws its batch from a seeded per-epoch order and reseeds torch (dropout) and a generator of its
/// own (the objective's corruption) from (seed, step) alone, so a run resumed from its checkpoint
/// continues the exact loss sequence of an uninterrupted one.
/// </summary>
public sealed class PretrainingLoop(string runDirectory, ITrainingProgress progress, string phase)
{
    public const string CheckpointFolder = "checkpoints";
    public const string LogFile = "train_log.csv";

    /// <summary>Seconds of training behind the model, summed over every resumed piece (steps redone after a kill count once).</summary>
    public double TrainSeconds { get; private set; }

    string CheckpointPath => Path.Combine(runDirectory, CheckpointFolder);
    string LogPath => Path.Combine(runDirectory, LogFile);

    /// <summary>
    /// Trains <paramref name="model"/> (initialised, on its device) up to <see cref="LoopSettings.Steps"/>,
    /// resuming from the run's checkpoint if there is one.
    /// </summary>
    /// <param name="modelConfig">Written as the checkpoint's config.json.</param>
    /// <param name="exampleCount">How many training examples <paramref name="loss"/> indexes.</param>
    /// <param name="loss">The loss of the batch of these example indices, its corruption drawn from the generator.</param>
    public void Train<TConfig>(nn.Module model, TConfig modelConfig, LoopSettings settings, int exampleCount, Func<IReadOnlyList<int>, Generator, Tensor> loss)
    {
        using var optimizer = new AdamW(model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), settings.WeightDecay);
        var schedule = new LearningRateSchedule(settings.LearningRate, settings.WarmupSteps, settings.Steps);
        var log = new List<PretrainLogRow>();
        var (start, elapsedBefore) = Resume(model, optimizer, log);
        var lastCheckpoint = start;
        var events = TensorBoardEvents.Open(runDirectory, start);
        var order = new BatchOrder(exampleCount, settings.BatchSize, settings.Seed);
        var parameters = model.parameters().ToList();
        var clock = Stopwatch.StartNew();
        model.train();

        for (int step = start; step < settings.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var stepSeed = settings.Seed * 1_000_003L + step;
            manual_seed(stepSeed);
            using var generator = new Generator((ulong)stepSeed ^ 0x5DEECE66DUL);
            var batchLoss = loss(order.Batch(step), generator);
            var lossValue = batchLoss.item<float>();
            var elapsed = elapsedBefore + clock.Elapsed.TotalSeconds;
            if (!double.IsFinite(lossValue))
                throw new TrainingDiverged($"{runDirectory}: pretraining loss became {lossValue} at step {step + 1}; " + TrainingDiverged.CheckpointNote(lastCheckpoint, settings.CheckpointEvery));
            batchLoss.backward();
            var gradNorm = nn.utils.clip_grad_norm_(parameters, settings.ClipNorm);
            var learningRate = schedule.At(step);
            optimizer.Step(learningRate);
            optimizer.ZeroGrad();

            log.Add(new PretrainLogRow(step + 1, lossValue, learningRate, gradNorm, Math.Round(elapsed, 3)));
            progress.Report(new TrainingStatus(phase, step + 1, settings.Steps, lossValue, learningRate, TimeSpan.FromSeconds(elapsed)));
            if ((step + 1) % settings.CheckpointEvery == 0 || step + 1 == settings.Steps)
            {
                CsvTable.Write(LogPath, log);
                var now = TensorBoardEvents.Now();
                events.Append(log.Where(r => r.Step > lastCheckpoint).Select(r => new EventStep(r.Step, now - (elapsed - r.ElapsedSeconds),
                    [("train/loss", r.Loss), ("train/learning_rate", r.LearningRate), ("train/grad_norm", r.GradNorm)])));
                TrainingCheckpoint.Save(CheckpointPath, model, modelConfig, optimizer, new TrainingCheckpoint.State(step + 1, elapsed), files: [LogPath]);
                lastCheckpoint = step + 1;
            }
        }
        TrainSeconds = elapsedBefore + clock.Elapsed.TotalSeconds;
        model.eval();
    }

    (int Step, double Elapsed) Resume(nn.Module model, AdamW optimizer, List<PretrainLogRow> log)
    {
        var restored = TrainingCheckpoint.TryLoad(CheckpointPath, model, optimizer, report: progress.Message);
        if (restored is null) return (0, 0);
        var state = restored.State;
        // The log as of the checkpoint's step travels inside the checkpoint (the run folder's may be ahead of it or torn).
        var savedLog = Path.Combine(restored.Folder, LogFile);
        if (File.Exists(savedLog)) log.AddRange(CsvTable.Read<PretrainLogRow>(savedLog).Where(r => r.Step <= state.Step));
        progress.Message($"resuming from step {state.Step} ({restored.Folder})");
        return (state.Step, state.ElapsedSeconds);
    }
}
