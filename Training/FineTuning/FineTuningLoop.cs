using System.Diagnostics;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Optimization;
using Probing.Training.Pretraining;
using Probing.Training.Regularizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Training.FineTuning;

/// <summary>A row of an evaluation log: whatever it holds, it belongs to a step (resuming keeps the rows up to the checkpoint's).</summary>
public interface IStepRow
{
    int Step { get; }

    /// <summary>What TensorBoard shows of the row, e.g. ("dev/accuracy", 0.91).</summary>
    IEnumerable<(string Tag, double Value)> Scalars() => [];
}

/// <summary>
/// What classification and sequence-to-sequence fine-tuning share: AdamW with warm-up and linear decay,
/// gradient clipping, a stop on a non-finite loss, <c>train_log.csv</c> with the method's terms, a dev
/// evaluation every so many steps into <c>eval_log.csv</c>, both also as TensorBoard scalars, and a crash-safe checkpoint (weights,
/// optimizer, the method's state, both logs) every so many steps. Every step reseeds torch from
/// (seed, step) alone, so a run resumed from its checkpoint continues the exact loss sequence of an
/// uninterrupted one. The caller owns the model, the optimizer and the method, and says what a step
/// and an evaluation are.
/// </summary>
/// <typeparam name="TEval">One evaluation (or one row of it), as <paramref name="writeEvalLog"/> writes and <paramref name="readEvalLog"/> reads them.</typeparam>
/// <param name="writeEvalLog">Writes every evaluation so far to <c>eval_log.csv</c> (long format).</param>
/// <param name="readEvalLog">Reads them back from a checkpoint's copy, exactly.</param>
public sealed class FineTuningLoop<TEval>(LoopSettings settings, string runDirectory, ITrainingProgress progress,
    Action<string, IEnumerable<TEval>> writeEvalLog, Func<string, IEnumerable<TEval>> readEvalLog) where TEval : IStepRow
{
    public const string CheckpointFolder = "checkpoints", EvalLogFile = EvalLog.FileName;

    /// <summary>Every evaluation so far, those restored from the checkpoint included.</summary>
    public List<TEval> Evaluations { get; } = [];

    /// <summary>The steps trained, resumed pieces included: the configured number, or fewer when training stopped early.</summary>
    public int Steps { get; private set; }

    /// <summary>Seconds of training behind the model, summed over every resumed piece.</summary>
    public double TrainSeconds { get; private set; }

    string RunPath(string name) => Path.Combine(runDirectory, name);

    /// <param name="student">The trained model (its weights are checkpointed), initialised and in its final place.</param>
    /// <param name="modelConfig">Written as the checkpoint's config.json.</param>
    /// <param name="phase">What the progress line and a divergence message call the run (e.g. "rte r3f").</param>
    /// <param name="backward">Computes and back-propagates the loss of step <c>step</c> (0-based); torch is already seeded.</param>
    /// <param name="evaluate">Evaluates after step <c>step</c> (1-based), given the evaluations so far, and returns the
    /// new rows; it leaves the models' train/eval modes as it found them.</param>
    /// <param name="begin">Called once with the step training starts from (0, or the resumed checkpoint's).</param>
    /// <param name="afterEvaluation">Called after every step (1-based) and its evaluation, if any, before its checkpoint; true at the last step
    /// (the last step trained, when training stops early).</param>
    /// <param name="shouldStop">Early stopping: asked before the first step and after every evaluation, given the evaluations so far
    /// (read back from the checkpoint on resume, so a resumed run stops where an uninterrupted one did).</param>
    public void Run<TConfig>(nn.Module student, TConfig modelConfig, AdamW optimizer, ITrainingMethod method, string phase, int evalEvery,
        Func<int, StepLoss> backward, Func<int, IReadOnlyList<TEval>, IEnumerable<TEval>> evaluate,
        Action<int>? begin = null, Action<int, bool>? afterEvaluation = null, Func<IReadOnlyList<TEval>, bool>? shouldStop = null)
    {
        var totalSteps = settings.Steps;
        var schedule = new LearningRateSchedule(settings.LearningRate, settings.WarmupSteps, totalSteps);
        var log = new List<TrainLogRow>();
        var (start, elapsedBefore) = Resume(student, optimizer, method, log);
        var lastCheckpoint = start;
        var events = TensorBoardEvents.Open(runDirectory, start);
        begin?.Invoke(start);
        var parameters = student.parameters().ToList();
        var clock = Stopwatch.StartNew();
        student.train();

        // A run that stopped early but was killed before it finished resumes into its stopped state.
        var stopped = shouldStop?.Invoke(Evaluations) ?? false;
        Steps = start;
        for (int step = start; step < totalSteps && !stopped; step++)
        {
            using (var scope = NewDisposeScope())
            {
                manual_seed(settings.Seed * 1_000_003L + step);
                var loss = backward(step);
                var gradNorm = nn.utils.clip_grad_norm_(parameters, settings.ClipNorm);
                if (!double.IsFinite(loss.Total) || !double.IsFinite(gradNorm))
                    throw new TrainingDiverged($"{runDirectory}: the {phase} loss became {loss.Total} (gradient norm {gradNorm}) at step {step + 1}; "
                        + TrainingDiverged.CheckpointNote(lastCheckpoint, settings.CheckpointEvery));
                var learningRate = schedule.At(step);
                optimizer.Step(learningRate);
                optimizer.ZeroGrad();
                method.AfterOptimizerStep();
                var elapsed = elapsedBefore + clock.Elapsed.TotalSeconds;
                log.Add(new TrainLogRow(step + 1, loss.Total, loss.Terms, learningRate, gradNorm, Math.Round(elapsed, 3)));
                progress.Report(new TrainingStatus(phase, step + 1, totalSteps, loss.Total, learningRate, TimeSpan.FromSeconds(elapsed)));
            }
            Steps = step + 1;
            var done = step + 1 == totalSteps;
            if ((step + 1) % evalEvery == 0 || done)
            {
                Evaluations.AddRange([.. evaluate(step + 1, Evaluations)]);
                stopped = shouldStop?.Invoke(Evaluations) ?? false;
            }
            afterEvaluation?.Invoke(step + 1, done || stopped);
            if ((step + 1) % settings.CheckpointEvery == 0 || done || stopped)
            {
                TrainLog.Write(RunPath(TrainLog.FileName), method.TermNames, log);
                writeEvalLog(RunPath(EvalLogFile), Evaluations);
                events.Append(TrainingEvents.Steps(log, method.TermNames, Evaluations, lastCheckpoint, elapsedBefore + clock.Elapsed.TotalSeconds));
                TrainingCheckpoint.Save(RunPath(CheckpointFolder), student, modelConfig, optimizer,
                    new TrainingCheckpoint.State(step + 1, elapsedBefore + clock.Elapsed.TotalSeconds), method.StateDict(),
                    [RunPath(TrainLog.FileName), RunPath(EvalLogFile)]);
                lastCheckpoint = step + 1;
            }
        }
        TrainSeconds = Math.Round(elapsedBefore + clock.Elapsed.TotalSeconds, 3);
    }

    (int Step, double Elapsed) Resume(nn.Module student, AdamW optimizer, ITrainingMethod method, List<TrainLogRow> log)
    {
        // The logs come from the checkpoint itself: they end at its step, even if the run's own copies went further.
        var restored = TrainingCheckpoint.TryLoad(RunPath(CheckpointFolder), student, optimizer, method.LoadStateDict, progress.Message);
        if (restored is null) return (0, 0);
        var state = restored.State;
        log.AddRange(TrainLog.Read(Path.Combine(restored.Folder, TrainLog.FileName), method.TermNames.Count).Where(r => r.Step <= state.Step));
        var evalLog = Path.Combine(restored.Folder, EvalLogFile);
        if (File.Exists(evalLog)) Evaluations.AddRange(readEvalLog(evalLog).Where(r => r.Step <= state.Step));
        progress.Message($"resuming from step {state.Step} ({restored.Folder})");
        return (state.Step, state.ElapsedSeconds);
    }
}
