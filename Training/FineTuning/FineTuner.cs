using System.Diagnostics;
using CsvHelper;
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

[CsvRecord]
public partial record EvalLogRow(int Step, double Primary, string Scores);

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
/// </summary>
public sealed class FineTuner(FineTuneConfig config, TaskData task, ITextTokenizer tokenizer, string runDirectory, ITrainingProgress progress)
{
    public const string BestFolder = "best", LastFolder = "last", CheckpointFolder = "checkpoints", EvalLogFile = "eval_log.csv";

    string RunPath(string name) => Path.Combine(runDirectory, name);

    /// <summary>Fine-tunes the encoder of a model folder (a base, or a fine-tuned run's <c>best/</c>), with a fresh head unless <c>reuse_head</c>.</summary>
    public static FineTuneResult Run(FineTuneConfig config, TaskData task, ModelFolder model, string runDirectory, ITrainingProgress progress)
    {
        // A classifier's folder stores an EncoderConfig; a BART encoder's has no such form (its folders hold BART's config).
        if (model.IsSeq2Seq)
            throw InputError.InFile(model.File(EncoderCheckpoint.ConfigFile), "a BART folder is a sequence-to-sequence model; classification fine-tuning needs an encoder folder (BERT or RoBERTa)");
        var tokenizer = model.LoadTokenizer();
        var tuner = new FineTuner(config, task, tokenizer, runDirectory, progress);
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
        var schedule = new LearningRateSchedule(config.LearningRate, (int)Math.Round(totalSteps * config.WarmupFraction), totalSteps);
        var log = new List<TrainLogRow>();
        var evaluations = new List<EvalLogRow>();
        var (start, elapsedBefore) = Resume(student, optimizer, regularizer, log, evaluations);
        var lastCheckpoint = start;
        var parameters = student.parameters().ToList();
        var clock = Stopwatch.StartNew();
        TaskScore? lastScore = null;
        student.train();

        for (int step = start; step < totalSteps; step++)
        {
            using (var scope = NewDisposeScope())
            {
                manual_seed(config.Seed * 1_000_003L + step);
                var loss = regularizer.Backward(train.Batch(order.Batch(step)));
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
            var done = step + 1 == totalSteps;
            if ((step + 1) % evalEvery == 0 || done)
                lastScore = EvaluateAndKeepBest(regularizer.EvaluationModel, dev, step + 1, evaluations, head);
            if ((step + 1) % config.CheckpointEvery == 0 || done)
            {
                TrainLog.Write(RunPath(TrainLog.FileName), regularizer.TermNames, log);
                CsvTable.Write(RunPath(EvalLogFile), evaluations);
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
        var best = evaluations.Count > 0 ? evaluations.MaxBy(e => e.Primary)! : new EvalLogRow(totalSteps, lastScore.Primary, Format(lastScore));
        var encoder = new Encoder(final.Config);
        ModuleState.Load(encoder, final.Encoder.state_dict(), "fine-tuned encoder");
        encoder.eval();
        return new FineTuneResult(encoder, ParseScore(best.Scores, spec), best.Step, lastScore, totalSteps,
            Math.Round(elapsedBefore + clock.Elapsed.TotalSeconds, 3), RunPath(BestFolder), RunPath(LastFolder));
    }

    TaskScore EvaluateAndKeepBest(SequenceClassifier model, EncodedExamples dev, int step, List<EvalLogRow> evaluations, HeadInfo head)
    {
        var score = Evaluator.Evaluate(model, dev, task.Spec, task.Dev, config.EvalBatchSize);
        var isBest = evaluations.All(e => score.Primary > e.Primary);
        evaluations.Add(new EvalLogRow(step, score.Primary, Format(score)));
        if (isBest) FineTunedModel.Save(RunPath(BestFolder), model, tokenizer, head);
        progress.Message($"step {step}: dev {score}{(isBest ? " (best)" : "")}");
        return score;
    }

    (int Step, double Elapsed) Resume(SequenceClassifier student, AdamW optimizer, IRegularizer regularizer, List<TrainLogRow> log, List<EvalLogRow> evaluations)
    {
        // The logs come from the checkpoint itself: they end at its step, even if the run's own copies went further.
        var restored = TrainingCheckpoint.TryLoad(RunPath(CheckpointFolder), student, optimizer, regularizer.LoadStateDict, progress.Message);
        if (restored is null) return (0, 0);
        var state = restored.State;
        log.AddRange(TrainLog.Read(Path.Combine(restored.Folder, TrainLog.FileName), regularizer.TermNames.Count).Where(r => r.Step <= state.Step));
        var evalLog = Path.Combine(restored.Folder, EvalLogFile);
        if (File.Exists(evalLog)) evaluations.AddRange(CsvTable.Read<EvalLogRow>(evalLog).Where(r => r.Step <= state.Step));
        progress.Message($"resuming from step {state.Step} ({restored.Folder})");
        return (state.Step, state.ElapsedSeconds);
    }

    /// <summary>"name=value …" with round-trip precision, so the best score reads back exactly on resume.</summary>
    static string Format(TaskScore score) =>
        string.Join(" ", score.Values.Select(v => TaskScore.Name(v.Key) + "=" + v.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

    static TaskScore ParseScore(string scores, TaskSpec spec)
    {
        var values = scores.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(part => part.Split('='))
            .ToDictionary(kv => spec.Metrics.First(m => TaskScore.Name(m) == kv[0]), kv => double.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture));
        return new TaskScore(spec.PrimaryMetric, values);
    }
}
