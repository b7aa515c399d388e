using System.Globalization;
using CsvHelper;
using Probing.Training.Checkpoints;
using Probing.Training.Data.Summarization;
using Probing.Training.Evaluation;
using Probing.Training.Generation;
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
/// One dev evaluation of a summarizer, one row per ROUGE variant: classification's long format
/// (step, split, metric, value) with the 95 % bootstrap interval over documents beside the mean
/// per-document F1 (fractions in [0, 1]) and how many documents were scored.
/// </summary>
[CsvRecord]
public partial record Seq2SeqEvalRow(int Step, string Split, string Metric, double Value, double Low, double High, int Documents) : IStepRow;

/// <summary>The outcome of a seq2seq fine-tuning run: the best and last dev ROUGE (variant name → row) and where the model folders are.</summary>
public sealed record Seq2SeqFineTuneResult(
    IReadOnlyDictionary<string, Seq2SeqEvalRow> Best, int BestStep, IReadOnlyDictionary<string, Seq2SeqEvalRow> Last,
    int Steps, double TrainSeconds, string BestFolder, string LastFolder);

/// <summary>
/// Fine-tunes a sequence-to-sequence (BART-shaped) model on a summarization task with the method the
/// config names (<see cref="MethodRegistry.Seq2SeqKinds"/>), on the loop classification uses
/// (<see cref="FineTuningLoop{TEval}"/>: seeded steps, resume, checkpoints). Dev evaluations decode
/// summaries (<see cref="Seq2SeqFineTuneConfig.Generation"/>) and score them with ROUGE; the best by
/// ROUGE-L F1 is kept. Writes into the run folder: <c>train_log.csv</c>, <c>eval_log.csv</c>,
/// <c>checkpoints/</c>, <c>best/</c> and <c>last/</c> (complete seq2seq model folders whose encoder
/// loads wherever an encoder is read, e.g. to probe it), and <c>dev_predictions.tsv</c> of the last evaluation.
/// </summary>
public sealed class Seq2SeqFineTuner(Seq2SeqFineTuneConfig config, SummarizationTask task, ModelFolder model, string runDirectory, ITrainingProgress progress)
{
    public const string BestFolder = FineTuner.BestFolder, LastFolder = FineTuner.LastFolder, PredictionsFile = "dev_predictions.tsv";
    /// <summary>The ROUGE variant that picks the best evaluation.</summary>
    public const string SelectionMetric = "rougeL";

    string RunPath(string name) => Path.Combine(runDirectory, name);

    /// <summary>Whether the config can run on the task and model at all; called before a run folder is created.</summary>
    public static void Check(Seq2SeqFineTuneConfig config, SummarizationTask task, ModelFolder model)
    {
        config.Validate();
        MethodRegistry.RequireSeq2Seq(config.Method);
        if (!model.IsSeq2Seq)
            throw InputError.InFile(model.File(EncoderCheckpoint.ConfigFile),
                $"model_type '{model.ModelType}' is an encoder; summarization needs a sequence-to-sequence folder (model_type bart: what pretrain-seq2seq writes, or a Hugging Face BART folder)");
        if (task.Train.Count < config.BatchSize)
            throw new InputError($"task {task.Name} has {task.Train.Count} training examples, fewer than one batch of {config.BatchSize} (batch_size)");
    }

    public Seq2SeqFineTuneResult Run()
    {
        Check(config, task, model);
        var tokenizer = model.LoadTokenizer();
        using var start = model.LoadSeq2Seq();
        var modelConfig = start.Config with { Dropout = config.Dropout, AttentionDropout = config.Dropout };
        var train = new Seq2SeqExamples(task.Train, tokenizer, modelConfig, config.MaxSourceLength, config.MaxTargetLength);
        var dev = config.EvalExamples > 0 ? task.Dev.Take(config.EvalExamples).ToList() : task.Dev;
        var order = new BatchOrder(train.Count, config.BatchSize, config.Seed);
        var totalSteps = config.MaxSteps > 0 ? config.MaxSteps : config.Epochs * order.BatchesPerEpoch;
        var evalEvery = config.EvalEvery > 0 ? config.EvalEvery : order.BatchesPerEpoch;

        using var student = new Seq2SeqModel(modelConfig);
        ModuleState.Load(student, start.state_dict(), model.Path);
        student.to(TorchRuntime.Device);
        using var optimizer = new AdamW(student.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), config.WeightDecay);
        using var method = MethodRegistry.CreateSeq2Seq(config.Method, student);
        var settings = new LoopSettings(config.BatchSize, totalSteps, config.LearningRate, (int)Math.Round(totalSteps * config.WarmupFraction),
            config.WeightDecay, config.ClipNorm, config.CheckpointEvery, config.Seed);
        var loop = new FineTuningLoop<Seq2SeqEvalRow>(settings, runDirectory, progress, CsvTable.Write, CsvTable.Read<Seq2SeqEvalRow>);
        loop.Run(student, modelConfig, optimizer, method, $"{task.Name} {MethodRegistry.KindOf(config.Method)}", evalEvery,
            step => method.Backward(OnDevice(train.Batch(order.Batch(step)))),
            (step, evaluations) => Evaluate(student, tokenizer, dev, step, evaluations));

        student.eval();
        SaveFolder(RunPath(LastFolder), student, tokenizer);
        if (!Directory.Exists(RunPath(BestFolder))) SaveFolder(RunPath(BestFolder), student, tokenizer);
        var byStep = loop.Evaluations.GroupBy(r => r.Step).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, Seq2SeqEvalRow>)g.ToDictionary(r => r.Metric));
        var bestStep = byStep.MaxBy(kv => kv.Value[SelectionMetric].Value).Key;
        return new Seq2SeqFineTuneResult(byStep[bestStep], bestStep, byStep[byStep.Keys.Max()], totalSteps, loop.TrainSeconds, RunPath(BestFolder), RunPath(LastFolder));
    }

    IEnumerable<Seq2SeqEvalRow> Evaluate(Seq2SeqModel student, ITextTokenizer tokenizer, IReadOnlyList<SummaryExample> dev, int step, IReadOnlyList<Seq2SeqEvalRow> evaluations)
    {
        var predictions = SequenceGenerator.Summarize(student, tokenizer, [.. dev.Select(e => e.Document)], config.Generation, config.MaxSourceLength, config.EvalBatchSize);
        var rouge = CorpusRouge.Score([.. dev.Select(e => e.Summary)], predictions);
        var rows = CorpusRouge.Types.Select(t => new Seq2SeqEvalRow(step, EvalLog.DevSplit, CorpusRouge.Name(t), rouge[t].F1.Mean, rouge[t].F1.Low, rouge[t].F1.High, rouge.Documents)).ToList();
        var selected = rows.First(r => r.Metric == SelectionMetric).Value;
        var isBest = evaluations.Where(r => r.Metric == SelectionMetric).All(r => selected > r.Value);
        if (isBest) SaveFolder(RunPath(BestFolder), student, tokenizer);
        WritePredictions(dev, predictions);
        progress.Message($"step {step}: dev {rouge}{(isBest ? " (best)" : "")}");
        return rows;
    }

    /// <summary>A complete seq2seq model folder (weights, BART config, tokenizer files, SHA256SUMS), replaced whole.</summary>
    void SaveFolder(string directory, Seq2SeqModel student, ITextTokenizer tokenizer)
    {
        var staging = AtomicFile.TempName(directory);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        FolderChecksums.Write(staging, Seq2SeqCheckpoint.SaveFolder(staging, student, tokenizer, model));
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.Move(staging, directory);
    }

    void WritePredictions(IReadOnlyList<SummaryExample> dev, IReadOnlyList<string> predictions)
    {
        static string Cell(string text) => text.Replace('\t', ' ').Replace('\n', ' ');
        var lines = dev.Select((e, i) => string.Join('\t', i.ToString(CultureInfo.InvariantCulture), Cell(e.Summary), Cell(predictions[i])));
        AtomicFile.WriteAllText(RunPath(PredictionsFile), string.Join('\n', ["index\treference\tprediction", .. lines]) + "\n");
    }

    static Seq2SeqBatch OnDevice(Seq2SeqBatch batch)
    {
        var device = TorchRuntime.Device;
        return device.type == DeviceType.CPU ? batch
            : new Seq2SeqBatch(batch.SourceIds.to(device), batch.SourceMask.to(device), batch.DecoderInputIds.to(device), batch.Labels.to(device), batch.LabelMask.to(device));
    }
}
