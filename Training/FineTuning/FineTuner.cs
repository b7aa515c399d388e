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
/// <c>train_log.csv</c>, <c>eval_log.csv</c>, <c>checkpoints/</c> (through <see cref="FineTuningLoop{TEval}"/>), <c>best/</c>, <c>last/</c>.
/// An optional <see cref="IStepObserver"/> sees the model at step 0 and every few steps (it cannot change the training).
/// </summary>
public sealed class FineTuner(FineTuneConfig config, TaskData task, ITextTokenizer tokenizer, string runDirectory, ITrainingProgress progress,
    IStepObserver? observer = null)
{
    public const string BestFolder = "best", LastFolder = "last", CheckpointFolder = FineTuningLoop<DevEvaluation>.CheckpointFolder, EvalLogFile = EvalLog.FileName;

    MetricKind selection;

    string RunPath(string name) => Path.Combine(runDirectory, name);

    /// <summary>Fine-tunes the encoder of a model folder (a base, or a fine-tuned run's <c>best/</c>), with a fresh head unless <c>reuse_head</c>.</summary>
    public static FineTuneResult Run(FineTuneConfig config, TaskData task, ModelFolder model, string runDirectory, ITrainingProgress progress, IStepObserver? observer = null)
    {
        // A classifier's folder stores an EncoderConfig; a BART encoder's has no such form (its folders hold BART's config).
        if (model.IsSeq2Seq)
            throw InputError.InFile(model.File(EncoderCheckpoint.ConfigFile), "a BART folder is a sequence-to-sequence model; classification fine-tuning needs an encoder folder (BERT or RoBERTa)");
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
        var settings = new LoopSettings(config.BatchSize, totalSteps, config.LearningRate, (int)Math.Round(totalSteps * config.WarmupFraction),
            config.WeightDecay, config.ClipNorm, config.CheckpointEvery, config.Seed);
        var loop = new FineTuningLoop<DevEvaluation>(settings, runDirectory, progress, EvalLog.Write, path => EvalLog.Read(path, spec));
        var parameters = student.parameters().ToList();
        var deviceChecked = false;
        TaskScore? lastScore = null;
        loop.Run(student, modelConfig, optimizer, regularizer, $"{spec.Name} {MethodRegistry.KindOf(config.Method)}", evalEvery,
            step =>
            {
                var loss = AccumulateGradients(regularizer, train, order.Batch(step), parameters, device);
                if (!deviceChecked) RequireOnDevice(device, student, optimizer, regularizer, $"{runDirectory}: fine-tuning step {step + 1}");
                deviceChecked = true;
                return loss;
            },
            (step, evaluations) =>
            {
                lastScore = Evaluate(regularizer.EvaluationModel, dev, step, evaluations, head);
                return [new DevEvaluation(step, lastScore)];
            },
            start =>
            {
                observer?.Begin(start, totalSteps);
                if (start == 0) Observe(0, regularizer.EvaluationModel);
            },
            (step, done) =>
            {
                if (observer is not null && (step % observer.Interval == 0 || done)) Observe(step, regularizer.EvaluationModel);
            },
            evaluations =>
            {
                // Decided from the evaluation log alone, which every checkpoint carries: a resumed run stops where an uninterrupted one did.
                var stop = EarlyStopping.ShouldStop(Selections(evaluations), config.Patience);
                if (stop && evaluations.Count > 0 && evaluations[^1].Step < totalSteps)
                    progress.Message($"step {evaluations[^1].Step}: no better dev {TaskScore.Name(selection)} in {config.Patience} evaluations; stopping early (best at step {evaluations.MaxBy(Selected)!.Step})");
                return stop;
            });

        var final = regularizer.EvaluationModel;
        lastScore ??= Evaluator.Evaluate(final, dev, spec, task.Dev, config.EvalBatchSize);
        FineTunedModel.Save(RunPath(LastFolder), final, tokenizer, head);
        if (!Directory.Exists(RunPath(BestFolder))) FineTunedModel.Save(RunPath(BestFolder), final, tokenizer, head);
        var evaluations = loop.Evaluations;
        var best = evaluations.Count > 0 ? evaluations.MaxBy(Selected)! : new DevEvaluation(loop.Steps, lastScore);
        var encoder = new Encoder(final.Config);
        ModuleState.Load(encoder, final.Encoder.state_dict(), "fine-tuned encoder");
        encoder.eval();
        return new FineTuneResult(encoder, best.Score with { PrimaryMetric = selection }, best.Step, lastScore with { PrimaryMetric = selection }, loop.Steps,
            loop.TrainSeconds, RunPath(BestFolder), RunPath(LastFolder));
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

    TaskScore Evaluate(SequenceClassifier model, EncodedExamples dev, int step, IReadOnlyList<DevEvaluation> evaluations, HeadInfo head)
    {
        var score = Evaluator.Evaluate(model, dev, task.Spec, task.Dev, config.EvalBatchSize);
        var isBest = evaluations.All(e => score.Values[selection] > Selected(e));
        if (isBest) FineTunedModel.Save(RunPath(BestFolder), model, tokenizer, head);
        progress.Message($"step {step}: dev {score}{(isBest ? " (best)" : "")}");
        return score;
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
