using System.Diagnostics;
using CsvHelper;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Training.Data;
using Probing.Training.Data.Embedded;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;

namespace Probing.Probing.Protocols;

/// <summary>
/// What the collapse curve measures: frozen probes of <see cref="Tasks"/> at the deepest probed layer,
/// every <see cref="Every"/> fine-tuning steps (and at step 0 and the last step). Each task's probe sees
/// the run seed's train sample (the protocol's train limit) and is scored on <see cref="DevLimit"/> dev
/// examples (a fixed, seeded subset; null = all of dev).
/// </summary>
public sealed record CurveSettings(IReadOnlyList<string> Tasks, int Every, int? DevLimit = CurveSettings.DefaultDevLimit)
{
    public const int DefaultDevLimit = 500;
}

/// <summary>
/// One point of the collapse curve: the probe's dev score on <see cref="Task"/> after <see cref="Step"/>
/// optimizer steps of the (method, seed) fine-tuning at <see cref="StageIndex"/> (step 0 = the encoder the
/// stage started from). <see cref="Seconds"/> is the wall time of this point (features and fits),
/// <see cref="Iterations"/> the probe's L-BFGS iterations (what the warm start saves).
/// </summary>
[CsvRecord]
public partial record CurveRow(
    string Protocol, string Method, int Seed, string Stage, int StageIndex, int Step,
    string Task, int Layer, string Pooling, string Probe, string Metric, double Dev,
    int TrainExamples, int DevExamples, int Iterations, double Seconds);

/// <summary>
/// The collapse curve as a fine-tuning observer: every few steps it extracts features of a fixed probe
/// subset (each task's sampled train rows and a dev subset, at one layer) from the model being trained,
/// fits the linear probe — warm-started from its own fits at the previous point, since the features move
/// little between points — and appends rows to <c>curve.csv</c> in the stage folder. It knows nothing of
/// the fine-tuning (the FineTuner calls it through <see cref="IStepObserver"/>); on a resumed run the rows
/// after the checkpoint are dropped and made again (from a cold start: those fits agree with an
/// uninterrupted run's up to the solver's tolerance, not bit for bit).
/// </summary>
public sealed class CollapseCurve : IStepObserver
{
    public const string FileName = "curve.csv";

    readonly CurveSettings curve;
    readonly ProbeSettings probe;
    readonly ITextTokenizer tokenizer;
    readonly ProbeStage stage;
    readonly string method;
    readonly int seed;
    readonly string path;
    readonly IProbe prober;
    readonly IReadOnlyList<ProbedTask> tasks;
    readonly List<CurveRow> rows = [];
    readonly Dictionary<string, LinearProbe.WarmFit> warm = [];
    readonly FeatureExtractor extractor;
    int? layer;

    /// <summary>One task's fixed rows: the probe's train and validation sample and the dev subset, in one example list.</summary>
    sealed record ProbedTask(TaskData Data, IReadOnlyList<Example> Examples, int Train, int Validation, int Dev);

    /// <param name="loadTask">How to read a task by name (the protocol's, so tasks are read once).</param>
    /// <param name="directory">The stage folder; the rows go to its <see cref="FileName"/>.</param>
    public CollapseCurve(CurveSettings curve, ProbeSettings probe, Func<string, TaskData> loadTask, ITextTokenizer tokenizer,
        ProbeStage stage, string method, int seed, string directory, ProbeRegistry? registry = null, int batchSize = 64)
    {
        if (curve.Every < 1) throw new ArgumentOutOfRangeException(nameof(curve), "the curve needs a positive interval");
        this.curve = curve;
        this.probe = probe;
        this.tokenizer = tokenizer;
        this.stage = stage;
        this.method = method;
        this.seed = seed;
        path = Path.Combine(directory, FileName);
        prober = (registry ?? ProbeRegistry.Default).Create(probe.Probe);
        extractor = new FeatureExtractor(batchSize);
        tasks = [.. curve.Tasks.Select(name => Prepare(loadTask(name)))];
    }

    public int Interval => curve.Every;

    /// <summary>The rows so far (those read back on resume included).</summary>
    public IReadOnlyList<CurveRow> Rows => rows;

    ProbedTask Prepare(TaskData data)
    {
        if (data.Spec.IsRegression) throw new InputError($"--curve-tasks {data.Spec.Name}: the collapse curve probes classification tasks");
        var (train, validation) = TrainingSample.Draw(data.Spec.Name, seed, data.Train.Count, probe.TrainLimit, probe.ValidationFraction);
        var dev = DevRows(data.Spec.Name, data.Dev.Count, curve.DevLimit);
        IReadOnlyList<Example> examples = [.. train.Select(r => data.Train[r]), .. validation.Select(r => data.Train[r]), .. dev.Select(r => data.Dev[r])];
        return new ProbedTask(data, examples, train.Length, validation.Length, dev.Length);
    }

    /// <summary>A fixed subset of dev (the same for every seed, step and method, so points compare), in split order.</summary>
    public static int[] DevRows(string task, int devCount, int? limit)
    {
        if (limit is null || limit >= devCount) return [.. Enumerable.Range(0, devCount)];
        var order = Enumerable.Range(0, devCount).ToArray();
        new StableRandom(StableRandom.Hash($"curve-dev:{task}")).Shuffle(order);
        return [.. order[..limit.Value].Order()];
    }

    public void Begin(int fromStep, int totalSteps)
    {
        rows.Clear();
        warm.Clear();
        if (fromStep > 0 && File.Exists(path))
            rows.AddRange(CsvTable.Read<CurveRow>(path).Where(r => r.Step <= fromStep));
        Write();
    }

    public void Observe(int step, SequenceClassifier model)
    {
        var encoder = model.Encoder;
        layer ??= probe.Layers.Resolve(encoder.Config.NumHiddenLayers).Max();
        foreach (var task in tasks)
        {
            var clock = Stopwatch.StartNew();
            var features = extractor.Extract(encoder, tokenizer, task.Examples, [layer.Value], probe.Pooling, probe.MaxLength)[0];
            var labels = task.Examples.Select(e => e.Label).ToArray();
            var split = new ProbeSplit(features, labels, [.. task.Examples.Select(e => e.Score)]);
            ProbeSplit Rows(int from, int count) => split.Select([.. Enumerable.Range(from, count)]);
            var problem = new ProbeProblem(task.Data.Spec, Rows(0, task.Train), Rows(task.Train, task.Validation));
            var devSplit = Rows(task.Train + task.Validation, task.Dev);
            var (fitted, iterations) = Fit(task.Data.Spec.Name, problem);
            var score = fitted.Predict(devSplit.Features).Score(task.Data.Spec, devSplit).Primary;
            rows.Add(new CurveRow(stage.Protocol, method, seed, stage.Name, stage.Index, step, task.Data.Spec.Name, layer.Value,
                probe.Pooling.ToString().ToLowerInvariant(), prober.Name, TaskScore.Name(task.Data.Spec.PrimaryMetric), score,
                task.Train + task.Validation, task.Dev, iterations, Math.Round(clock.Elapsed.TotalSeconds, 3)));
        }
        Write();
    }

    (IFittedProbe Fitted, int Iterations) Fit(string task, ProbeProblem problem)
    {
        if (prober is not LinearProbe linear) return (prober.Fit(problem, seed), 0);
        var fit = linear.Fit(problem, warm.GetValueOrDefault(task));
        warm[task] = fit;
        return (fit.Probe, fit.Iterations);
    }

    void Write() => CsvTable.Write(path, rows);
}
