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
    public const string BestFolder = "best", LastFolder = "last", CheckpointFolder = FineTuningLoop<DevEvaluation>.CheckpointFolder, EvalLogFile = EvalLog.FileName;

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
        if (task.Train.Count < config.BatchSize)
            throw new InputError($"task {task.Spec.Name} has {task.Train.Count} training examples, fewer than one batch of {config.BatchSize} (batch_size)");
    }

    FineTuneResult Train(EncoderConfig startConfig, Action<SequenceClassifier> initialize)
    {
        Check(config, task);
        var spec = task.Spec;
        var train = new EncodedExamples(task.Train, spec, tokenizer, Math.Min(config.MaxLength, startConfig.MaxPositionEmbeddings));
        var dev = new EncodedExamples(task.Dev, spec, tokenizer, Math.Min(config.MaxLength, startConfig.MaxPositionEmbeddings));
        var order = new BatchOrder(train.Count, config.BatchSize, config.Seed);
        var totalSteps = config.MaxSteps > 0 ? config.MaxSteps : config.Epochs * order.BatchesPerEpoch;
        var evalEvery = config.EvalEvery > 0 ? config.EvalEvery : order.BatchesPerEpoch;
        var modelConfig = startConfig with { HiddenDropoutProb = config.Dropout, AttentionProbsDropoutProb = config.Dropout };
        var outputs = spec.IsRegression ? 1 : spec.Labels.Count;
        var head = HeadInfo.For(spec, config.Method.SpectralNormHead, MethodRegistry.KindOf(config.Method));
        SequenceClassifier Create() => new(modelConfig, outputs, config.Method.SpectralNormHead);

        using var student = Create();
        initialize(student);
        using var optimizer = new AdamW(student.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), config.WeightDecay);
        using var regularizer = MethodRegistry.Create(config.Method, new RegularizerContext(student, Create));
        var settings = new LoopSettings(config.BatchSize, totalSteps, config.LearningRate, (int)Math.Round(totalSteps * config.WarmupFraction),
            config.WeightDecay, config.ClipNorm, config.CheckpointEvery, config.Seed);
        var loop = new FineTuningLoop<DevEvaluation>(settings, runDirectory, progress, EvalLog.Write, path => EvalLog.Read(path, spec));
        TaskScore? lastScore = null;
        loop.Run(student, modelConfig, optimizer, regularizer, $"{spec.Name} {MethodRegistry.KindOf(config.Method)}", evalEvery,
            step => regularizer.Backward(train.Batch(order.Batch(step))),
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
            });

        var final = regularizer.EvaluationModel;
        lastScore ??= Evaluator.Evaluate(final, dev, spec, task.Dev, config.EvalBatchSize);
        FineTunedModel.Save(RunPath(LastFolder), final, tokenizer, head);
        if (!Directory.Exists(RunPath(BestFolder))) FineTunedModel.Save(RunPath(BestFolder), final, tokenizer, head);
        var evaluations = loop.Evaluations;
        var best = evaluations.Count > 0 ? evaluations.MaxBy(e => e.Score.Primary)! : new DevEvaluation(totalSteps, lastScore);
        var encoder = new Encoder(final.Config);
        ModuleState.Load(encoder, final.Encoder.state_dict(), "fine-tuned encoder");
        encoder.eval();
        return new FineTuneResult(encoder, best.Score, best.Step, lastScore, totalSteps,
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
        var isBest = evaluations.All(e => score.Primary > e.Score.Primary);
        if (isBest) FineTunedModel.Save(RunPath(BestFolder), model, tokenizer, head);
        progress.Message($"step {step}: dev {score}{(isBest ? " (best)" : "")}");
        return score;
    }
}
