using System.Diagnostics;
using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Optimization;
using Probing.Training.Pretraining;
using Probing.Training.Regularizers;
using Probing.Training.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Training.FineTuning;

/// <summary>
/// The outcome of a fine-tuning run: the final evaluated model's encoder (a copy the caller owns),
/// the best and last dev scores, and where the <c>best/</c> and <c>last/</c> model folders are.
/// </summary>
public sealed record FineTuneResult(Encoder Encoder, TaskScore BestDev, int BestStep, TaskScore LastDev, int Steps, double TrainSeconds, string BestFolder, string LastFolder);

/// <summary>
/// Fine-tunes an encoder with a classification head on one task, with the method the config names.
/// Every step draws its batch, noise and dropout from (seed, step) alone, so a run resumed from its
/// checkpoint continues the exact loss sequence of an uninterrupted one. Writes into the run folder:
/// <c>train_log.csv</c>, <c>eval_log.csv</c>, <c>checkpoint/</c>, <c>best/</c>, <c>last/</c>.
/// An optional <see cref="IStepObserver"/> sees the model at step 0 and every few steps (it cannot change the training).
/// </summary>
public sealed class FineTuner(FineTuneConfig config, TaskData task, ITextTokenizer tokenizer, string runDirectory, ITrainingProgress progress,
    IStepObserver? observer = null)
{
    public const string BestFolder = "best", LastFolder = "last", CheckpointFolder = "checkpoints", EvalLogFile = EvalLog.FileName;

    MetricKind selection;

    string RunPath(string name) => Path.Combine(runDirectory, name);

    /// <summary>Fine-tunes the encoder of a model folder (a base, or a fine-tuned run's <c>best/</c>), with a fresh head unless <c>reuse_head</c>.</summary>
    public static FineTuneResult Run(FineTuneConfig config, TaskData task, ModelFolder model, string runDirectory, ITrainingProgress progress, IStepObserver? observer = null)
    {
        var tokenizer = model.LoadTokenizer();
        var tuner = new FineTuner(config, task, tokenizer, runDirectory, progress, observer);
        if (!config.ReuseHead)
        {
            using var encoder = model.LoadEncoder();
            return tuner.Run(encoder);
        }
        if (!FineTunedModel.HasHead(model.Path))
            throw InputError.InFile(model.File(HeadInfo.FileName), "reuse_head needs a fine-tuned model folder with a head");
        using var start = FineTunedModel.Load(model.Path, task.Spec);
        return tuner.Train(start.Encoder.Config, classifier => ModuleState.Load(classifier, start.state_dict(), model.Path));
    }

    /// <summary>Fine-tunes a copy of <paramref name="start"/> (left untouched) with a fresh head.</summary>
    public FineTuneResult Run(Encoder start) => Train(start.Config, classifier =>
    {
        ModuleState.Load(classifier.Encoder, start.state_dict(), "starting encoder");
        classifier.Head.Initialize(start.Config.InitializerRange, config.Seed);
    });

    /// <summary>Whether the config can run on the task at all; called before a run folder is created.</summary>
    public static void Check(FineTuneConfig config, TaskData task)
    {
        config.Validate();
        config.Selection(task.Spec);
        if (task.Train.Count < config.BatchSize * config.GradAccumSteps)
            throw new InputError($"task {task.Spec.Name} has {task.Train.Count} training examples, fewer than one batch of {config.BatchSize * config.GradAccumSteps} (batch_size × grad_accum_steps)");
    }

    FineTuneResult Train(EncoderConfig startConfig, Action<SequenceClassifier> initialize)
    {
        Check(config, task);
        var spec = task.Spec;
        var train = new EncodedExamples(task.Train, spec, tokenizer, Math.Min(config.MaxLength, startConfig.MaxPositionEmbeddings));
        var dev = new EncodedExamples(task.Dev, spec, tokenizer, Math.Min(config.MaxLength, startConfig.MaxPositionEmbeddings));
        var order = new BatchOrder(train.Count, config.BatchSize * config.GradAccumSteps, config.Seed);
        selection = config.Selection(spec);
        var totalSteps = config.MaxSteps > 0 ? config.MaxSteps : config.Epochs * order.BatchesPerEpoch;
        var evalEvery = config.EvalEvery > 0 ? config.EvalEvery : order.BatchesPerEpoch;
        var modelConfig = startConfig with { HiddenDropoutProb = config.Dropout, AttentionProbsDropoutProb = config.Dropout };
        var outputs = spec.IsRegression ? 1 : spec.Labels.Count;
        var head = HeadInfo.For(spec, config.Method.SpectralNormHead, MethodRegistry.KindOf(config.Method));
        // Weights are made and initialised on the CPU (the same draws on every device), then moved.
        var device = TorchRuntime.Device;
        SequenceClassifier Create() => new(modelConfig, outputs, config.Method.SpectralNormHead);
        SequenceClassifier CreateOnDevice()
        {
            var twin = Create();
            twin.to(device);
            return twin;
        }

        using var student = Create();
        initialize(student);
        student.to(device);
        using var optimizer = new AdamW(student.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), config.WeightDecay);
        using var regularizer = MethodRegistry.Create(config.Method, new RegularizerContext(student, CreateOnDevice));
        var schedule = new LearningRateSchedule(config.LearningRate, (int)Math.Round(totalSteps * config.WarmupFraction), totalSteps);
        var log = new List<TrainLogRow>();
        var evaluations = new List<DevEvaluation>();
        var (start, elapsedBefore) = Resume(student, optimizer, regularizer, log, evaluations);
        var lastCheckpoint = start;
        observer?.Begin(start, totalSteps);
        if (start == 0) Observe(0, regularizer.EvaluationModel);
        var parameters = student.parameters().ToList();
        var clock = Stopwatch.StartNew();
        TaskScore? lastScore = null;
        student.train();

        // A run that stopped early but was killed before it finished resumes into its stopped state.
        var stopped = EarlyStopping.ShouldStop(Selections(evaluations), config.Patience);
        var steps = start;
        for (int step = start; step < totalSteps && !stopped; step++)
        {
            using (var scope = NewDisposeScope())
            {
                manual_seed(config.Seed * 1_000_003L + step);
                var loss = AccumulateGradients(regularizer, train, order.Batch(step), parameters, device);
                if (step == start) RequireOnDevice(device, student, optimizer, regularizer, $"{runDirectory}: fine-tuning step {step + 1}");
                var gradNorm = nn.utils.clip_grad_norm_(parameters, config.ClipNorm);
                if (!double.IsFinite(loss.Total) || !double.IsFinite(gradNorm))
                    throw new TrainingDiverged($"{runDirectory}: the {MethodRegistry.KindOf(config.Method)} loss became {loss.Total} (gradient norm {gradNorm}) at step {step + 1}; "
                        + TrainingDiverged.CheckpointNote(lastCheckpoint, config.CheckpointEvery));
                var learningRate = schedule.At(step);
                optimizer.Step(learningRate);
                optimizer.ZeroGrad();
                regularizer.AfterOptimizerStep();
                var elapsed = elapsedBefore + clock.Elapsed.TotalSeconds;
                log.Add(new TrainLogRow(step + 1, loss.Total, loss.Terms, learningRate, gradNorm, Math.Round(elapsed, 3)));
                progress.Report(new TrainingStatus($"{spec.Name} {MethodRegistry.KindOf(config.Method)}", step + 1, totalSteps, loss.Total, learningRate, TimeSpan.FromSeconds(elapsed)));
            }
            steps = step + 1;
            var done = step + 1 == totalSteps;
            if ((step + 1) % evalEvery == 0 || done)
            {
                lastScore = EvaluateAndKeepBest(regularizer.EvaluationModel, dev, step + 1, evaluations, head);
                stopped = EarlyStopping.ShouldStop(Selections(evaluations), config.Patience);
                if (stopped && !done)
                    progress.Message($"step {step + 1}: no better dev {TaskScore.Name(selection)} in {config.Patience} evaluations; stopping early (best at step {evaluations.MaxBy(Selected)!.Step})");
            }
            if (observer is not null && ((step + 1) % observer.Interval == 0 || done || stopped))
                Observe(step + 1, regularizer.EvaluationModel);
            if ((step + 1) % config.CheckpointEvery == 0 || done || stopped)
            {
                TrainLog.Write(RunPath(TrainLog.FileName), regularizer.TermNames, log);
                EvalLog.Write(RunPath(EvalLogFile), evaluations);
                TrainingCheckpoint.Save(RunPath(CheckpointFolder), student, modelConfig, optimizer,
                    new TrainingCheckpoint.State(step + 1, elapsedBefore + clock.Elapsed.TotalSeconds), regularizer.StateDict(),
                    [RunPath(TrainLog.FileName), RunPath(EvalLogFile)]);
                lastCheckpoint = step + 1;
            }
        }

        var final = regularizer.EvaluationModel;
        lastScore ??= Evaluator.Evaluate(final, dev, spec, task.Dev, config.EvalBatchSize);
        FineTunedModel.Save(RunPath(LastFolder), final, tokenizer, head);
        if (!Directory.Exists(RunPath(BestFolder))) FineTunedModel.Save(RunPath(BestFolder), final, tokenizer, head);
        var best = evaluations.Count > 0 ? evaluations.MaxBy(Selected)! : new DevEvaluation(steps, lastScore);
        var encoder = new Encoder(final.Config);
        ModuleState.Load(encoder, final.Encoder.state_dict(), "fine-tuned encoder");
        encoder.eval();
        return new FineTuneResult(encoder, best.Score with { PrimaryMetric = selection }, best.Step, lastScore with { PrimaryMetric = selection }, steps,
            Math.Round(elapsedBefore + clock.Elapsed.TotalSeconds, 3), RunPath(BestFolder), RunPath(LastFolder));
    }

    /// <summary>Hands the model to the observer and puts its train/eval mode back as it was.</summary>
    void Observe(int step, SequenceClassifier model)
    {
        if (observer is null) return;
        var wasTraining = model.training;
        try
        {
            observer.Observe(step, model);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    TaskScore EvaluateAndKeepBest(SequenceClassifier model, EncodedExamples dev, int step, List<DevEvaluation> evaluations, HeadInfo head)
    {
        var score = Evaluator.Evaluate(model, dev, task.Spec, task.Dev, config.EvalBatchSize);
        var isBest = evaluations.All(e => score.Values[selection] > Selected(e));
        evaluations.Add(new DevEvaluation(step, score));
        if (isBest) FineTunedModel.Save(RunPath(BestFolder), model, tokenizer, head);
        progress.Message($"step {step}: dev {score}{(isBest ? " (best)" : "")}");
        return score;
    }

    (int Step, double Elapsed) Resume(SequenceClassifier student, AdamW optimizer, IRegularizer regularizer, List<TrainLogRow> log, List<DevEvaluation> evaluations)
    {
        // The logs come from the checkpoint itself: they end at its step, even if the run's own copies went further.
        var restored = TrainingCheckpoint.TryLoad(RunPath(CheckpointFolder), student, optimizer, regularizer.LoadStateDict, progress.Message);
        if (restored is null) return (0, 0);
        var state = restored.State;
        log.AddRange(TrainLog.Read(Path.Combine(restored.Folder, TrainLog.FileName), regularizer.TermNames.Count).Where(r => r.Step <= state.Step));
        var evalLog = Path.Combine(restored.Folder, EvalLogFile);
        if (File.Exists(evalLog)) evaluations.AddRange(EvalLog.Read(evalLog, task.Spec).Where(e => e.Step <= state.Step));
        progress.Message($"resuming from step {state.Step} ({restored.Folder})");
        return (state.Step, state.ElapsedSeconds);
    }

    /// <summary>The selection metric of an evaluation.</summary>
    double Selected(DevEvaluation evaluation) => evaluation.Score.Values[selection];

    List<double> Selections(IEnumerable<DevEvaluation> evaluations) => [.. evaluations.Select(Selected)];

    /// <summary>
    /// After the first step of a process (when gradients, optimizer moments, teachers and snapshots all
    /// exist): every tensor of the student, its gradients, the optimizer and the method's state is on the
    /// model's device. (Integer counters of the checkpoint state stay on the CPU by design.)
    /// </summary>
    internal static void RequireOnDevice(Device device, SequenceClassifier student, AdamW optimizer, IRegularizer regularizer, string where) =>
        DeviceAudit.Require(device, [
            .. DeviceAudit.TensorsOf(student),
            .. DeviceAudit.TensorsOf(regularizer.EvaluationModel, "evaluation_model."),
            .. optimizer.StateDict().Where(kv => kv.Value.is_floating_point()).Select(kv => ("optimizer." + kv.Key, kv.Value)),
            .. regularizer.StateDict().Where(kv => kv.Value.is_floating_point()).Select(kv => ("method." + kv.Key, kv.Value)),
        ], where);

    /// <summary>
    /// One optimizer step's gradients: the batch in <see cref="FineTuneConfig.GradAccumSteps"/> consecutive
    /// micro-batches, each back-propagated by the method, and the summed gradients divided by their number:
    /// the gradient of the whole batch's mean loss (every method's loss is a mean over its batch). Logged
    /// losses are the micro-batches' mean.
    /// </summary>
    StepLoss AccumulateGradients(IRegularizer regularizer, EncodedExamples train, IReadOnlyList<int> batch, IReadOnlyList<TorchSharp.Modules.Parameter> parameters, Device device)
    {
        var parts = config.GradAccumSteps;
        if (parts == 1) return regularizer.Backward(train.Batch(batch, device));
        var size = batch.Count / parts;
        var losses = new List<StepLoss>();
        for (var i = 0; i < parts; i++)
            losses.Add(regularizer.Backward(train.Batch([.. batch.Skip(i * size).Take(size)], device)));
        using var divisor = ((double)parts).ToScalar();
        using (no_grad())
            foreach (var parameter in parameters)
                parameter.grad?.div_(divisor);
        return new StepLoss(losses.Average(l => l.Total), [.. Enumerable.Range(0, losses[0].Terms.Count).Select(t => losses.Average(l => l.Terms[t]))]);
    }
}
