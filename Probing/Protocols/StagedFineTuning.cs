using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Training.Regularizers;
using Probing.Training.Text;

namespace Probing.Probing.Protocols;

/// <summary>Everything a protocol produced: probes.csv, cka.csv, stages.csv and (with a collapse curve) curve.csv rows.</summary>
public sealed record ProtocolResults(IReadOnlyList<ProbeRow> Probes, IReadOnlyList<CkaRow> Cka, IReadOnlyList<StageRow> Stages, IReadOnlyList<CurveRow>? Curve = null)
{
    public IReadOnlyList<CurveRow> CurveRows => Curve ?? [];

    public static ProtocolResults Concat(IEnumerable<ProtocolResults> parts)
    {
        var list = parts.ToList();
        return new([.. list.SelectMany(p => p.Probes)], [.. list.SelectMany(p => p.Cka)], [.. list.SelectMany(p => p.Stages)], [.. list.SelectMany(p => p.CurveRows)]);
    }
}

/// <summary>
/// What a sequential protocol does: fine-tune on <see cref="StageTasks"/> one after another (stage k,
/// 1-based, fine-tunes StageTasks[k − 1]); after each stage (and at stage 0, the base, when
/// <see cref="ProbeBase"/>) probe <see cref="ProbedTasks"/>(k) and measure CKA to the base on the
/// dev inputs of <see cref="CkaTasks"/>(k), at every layer when <see cref="CkaAllLayers"/>, else at the probed layers.
/// </summary>
public sealed record StagePlan(
    string Protocol, IReadOnlyList<string> StageTasks, bool ProbeBase,
    Func<int, IReadOnlyList<string>> ProbedTasks, Func<int, IReadOnlyList<string>> CkaTasks, bool CkaAllLayers);

/// <summary>
/// The inputs every protocol shares: the base, the probe settings (their seeds are replaced by each
/// run's seed), a feature store, the probe registry, how to load a task by name, where progress goes,
/// and whether every fine-tuning stage draws a collapse curve (<see cref="CollapseCurve"/>).
/// </summary>
public sealed class ProtocolContext(ModelFolder baseModel, ProbeSettings probe, FeatureStore store, ProbeRegistry registry,
    Func<string, TaskData>? loadTask = null, ITrainingProgress? progress = null, Action<string>? log = null, CurveSettings? curve = null)
{
    readonly Dictionary<string, TaskData> tasks = [];
    readonly Lazy<ITextTokenizer> tokenizer = new(baseModel.LoadTokenizer);
    readonly Lazy<CheckpointFeatureSource> baseSource = new(() => new CheckpointFeatureSource("base", baseModel));

    public ModelFolder Base => baseModel;
    public CheckpointFeatureSource BaseSource => baseSource.Value;
    public ProbeSettings Probe => probe;
    public FeatureStore Store => store;
    public ProbeRegistry Registry => registry;
    public ITrainingProgress Progress => progress ?? SilentProgress.Instance;
    public ITextTokenizer Tokenizer => tokenizer.Value;
    public CurveSettings? Curve => curve;
    public void Log(string message) => log?.Invoke(message);

    /// <summary>A task's data, read once per context.</summary>
    public TaskData Task(string name)
    {
        if (!tasks.TryGetValue(name, out var data))
            tasks[name] = data = loadTask is null ? TaskCatalog.Load(name, probe.GlueDir) : loadTask(name);
        return data;
    }

    public GeneralizationProbe Prober() => new(store, registry, log);
}

/// <summary>
/// Runs a <see cref="StagePlan"/> for every (method, seed). Each stage lives in
/// <c>&lt;root&gt;/&lt;method&gt;-seed&lt;n&gt;/stage-&lt;kk&gt;-&lt;task&gt;/</c>: the FineTuner's run folder
/// (logs, checkpoint, best/, last/) plus the stage's own <c>probes.csv</c>, <c>cka.csv</c>,
/// <c>stage.csv</c> and a <c>DONE</c> written last. A stage with DONE is read back (the next stage
/// starts from its <c>last/</c>); an unfinished one is resumed by the FineTuner from its checkpoint.
/// With <see cref="ProtocolContext.Curve"/>, each stage's fine-tuning also writes its collapse curve (<c>curve.csv</c>).
/// Each stage starts from the previous stage's final encoder (<c>last/</c>) with a fresh head, and that
/// same encoder is probed. The checkpoint folder of a finished stage is deleted to save disk.
/// </summary>
public sealed class StagedFineTuning(StagePlan plan, ProtocolContext context)
{
    public const string DoneFile = "DONE", ProbesFile = "probes.csv", CkaFile = "cka.csv", StageFile = "stage.csv", BaseStageName = "base";

    public static string RunName(string method, int seed) => FormattableString.Invariant($"{method}-seed{seed}");

    public static string StageFolderName(int index, string stage) => FormattableString.Invariant($"stage-{index:00}-{stage}");

    /// <param name="methods">One fine-tuning config per method (its seed is replaced by each run seed).</param>
    public ProtocolResults Run(IReadOnlyList<FineTuneConfig> methods, IReadOnlyList<int> seeds, string root) =>
        ProtocolResults.Concat(from config in methods from seed in seeds
                               select RunOne(config with { Seed = seed }, Path.Combine(root, RunName(MethodRegistry.KindOf(config.Method), seed))));

    /// <summary>One (method, seed): every stage in order, each resumed or read back where it was already done.</summary>
    public ProtocolResults RunOne(FineTuneConfig config, string directory)
    {
        var method = MethodRegistry.KindOf(config.Method);
        var seed = config.Seed;
        var parts = new List<ProtocolResults>();
        var current = context.Base;
        for (var k = plan.ProbeBase ? 0 : 1; k <= plan.StageTasks.Count; k++)
        {
            var stageName = k == 0 ? BaseStageName : plan.StageTasks[k - 1];
            var folder = Path.Combine(directory, StageFolderName(k, stageName));
            if (File.Exists(Path.Combine(folder, DoneFile)))
            {
                parts.Add(ReadStage(folder));
                if (k > 0) current = ModelFolder.Resolve(Path.Combine(folder, FineTuner.LastFolder));
                continue;
            }
            Directory.CreateDirectory(folder);
            var stages = new List<StageRow>();
            if (k > 0)
            {
                var data = context.Task(stageName);
                context.Log(FormattableString.Invariant($"{plan.Protocol} {method} seed {seed}: stage {k}/{plan.StageTasks.Count}, fine-tuning {data.Spec.Name}"));
                FineTuneResult result;
                var curve = Curve(new ProbeStage(plan.Protocol, stageName, k), method, seed, folder);
                using (var start = current.LoadEncoder())
                    result = new FineTuner(config with { Task = data.Spec.Name }, data, context.Tokenizer, folder, context.Progress, curve).Run(start);
                result.Encoder.Dispose();
                stages.Add(new StageRow(plan.Protocol, method, seed, k, stageName, TaskScore.Name(data.Spec.PrimaryMetric), result.BestDev.Primary, result.TrainSeconds, result.Steps));
                current = ModelFolder.Resolve(result.LastFolder);
            }
            var source = k == 0 ? (IFeatureSource)context.BaseSource : new CheckpointFeatureSource($"{RunName(method, seed)}/{StageFolderName(k, stageName)}", current);
            var model = new ProbedModel(k == 0 ? ProbedModel.BaseRole : ProbedModel.CheckpointRole, source, method, seed);
            parts.Add(Finish(folder, model, new ProbeStage(plan.Protocol, stageName, k), stages));
        }
        return ProtocolResults.Concat(parts);
    }

    /// <summary>
    /// The end of a stage: probes <paramref name="model"/> (the stage's encoder, or the base at stage 0),
    /// writes the stage's tables and then DONE (so <see cref="ReadStage"/> reads it back next time), and
    /// deletes the fine-tuning's checkpoints. Also ends the stages of fine-tunings this class does not run itself (<see cref="Seq2SeqGeneralization"/>).
    /// </summary>
    public ProtocolResults Finish(string folder, ProbedModel model, ProbeStage stage, IReadOnlyList<StageRow> stages)
    {
        var part = ProbeStage(model, stage, stages) with { Curve = ReadOrEmpty<CurveRow>(Path.Combine(folder, CollapseCurve.FileName)) };
        if (stage.Index > 0) context.Store.Release(model.Source);
        CsvTable.Write(Path.Combine(folder, ProbesFile), part.Probes);
        CsvTable.Write(Path.Combine(folder, CkaFile), part.Cka);
        CsvTable.Write(Path.Combine(folder, StageFile), part.Stages);
        AtomicFile.WriteAllText(Path.Combine(folder, DoneFile), DateTimeOffset.UtcNow.ToString("O") + "\n");
        var checkpoint = Path.Combine(folder, FineTuner.CheckpointFolder);
        if (Directory.Exists(checkpoint)) Directory.Delete(checkpoint, recursive: true);
        return part;
    }

    /// <summary>The stage's collapse-curve observer, or null when the protocol draws none.</summary>
    CollapseCurve? Curve(ProbeStage stage, string method, int seed, string folder) => context.Curve is not { } curve ? null
        : new CollapseCurve(curve, context.Probe, context.Task, context.Tokenizer, stage, method, seed, folder, context.Registry);

    ProtocolResults ProbeStage(ProbedModel model, ProbeStage stage, IReadOnlyList<StageRow> stages)
    {
        var settings = context.Probe with { Seeds = [model.Seed ?? 1] };
        var prober = context.Prober();
        var probes = new List<ProbeRow>();
        foreach (var task in plan.ProbedTasks(stage.Index))
            probes.AddRange(prober.ProbeTask(context.Task(task), [model], settings, null, stage).Probes);
        var reference = new ProbedModel(ProbedModel.BaseRole, context.BaseSource, ProbedModel.BaseRole);
        var layers = plan.CkaAllLayers ? LayerSelection.Parse("all").Resolve(model.Source.Config.NumHiddenLayers) : settings.Layers.Resolve(model.Source.Config.NumHiddenLayers);
        var cka = plan.CkaTasks(stage.Index).SelectMany(task => prober.Similarity(context.Task(task), model, reference, layers, settings, stage)).ToList();
        return new ProtocolResults(probes, cka, stages);
    }

    /// <summary>A finished stage's tables, read back.</summary>
    public static ProtocolResults ReadStage(string folder) => new(
        CsvTable.Read<ProbeRow>(Path.Combine(folder, ProbesFile)),
        ReadOrEmpty<CkaRow>(Path.Combine(folder, CkaFile)),
        ReadOrEmpty<StageRow>(Path.Combine(folder, StageFile)),
        ReadOrEmpty<CurveRow>(Path.Combine(folder, CollapseCurve.FileName)));

    static List<T> ReadOrEmpty<T>(string path) => File.Exists(path) && File.ReadAllText(path).Trim().Length > 0 ? CsvTable.Read<T>(path) : [];
}
