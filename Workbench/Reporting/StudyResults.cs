using System.Text.Json;
using System.Text.Json.Nodes;
using Probing.Probing.Protocols;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using Probing.Workbench.Runs;

namespace Probing.Workbench.Reporting;

/// <summary>
/// One fine-tuning a study did: a <c>finetune</c> run, or one stage of a protocol run (its
/// <see cref="StageIndex"/> ≥ 1 fine-tunes <see cref="Task"/>). <see cref="Value"/> is its best dev
/// score on that task (<see cref="Metric"/>, the task's primary metric); <see cref="Run"/> its folder
/// relative to the study. <see cref="WallSeconds"/> is the process's wall time (finetune runs only).
/// <see cref="DevExamples"/>: the first N dev examples the score is over, where the run evaluated a subset (<c>eval_examples</c>); null for all.
/// </summary>
public sealed record FineTunedRun(
    string Run, string Protocol, int StageIndex, string Task, string Method, int Seed, string Metric, double Value,
    double TrainSeconds, double? WallSeconds, int Steps, int? DevExamples = null)
{
    public const string FineTuneProtocol = "finetune";
}

/// <summary>What produced a study's results: the code versions in its runs' manifests (with how many runs each) and every seed its rows carry.</summary>
public sealed record Provenance(IReadOnlyDictionary<string, int> CodeVersions, IReadOnlyList<int> Seeds, int Runs);

/// <summary>
/// Every saved result under a study folder — the only input of reporting: fine-tuning metrics,
/// probe, CKA and stage tables of finished runs, their collapse curves (<c>curve.csv</c>, where a protocol
/// drew one), plus the runs that have not finished (so a report of a half-done study can say what it is missing).
/// </summary>
public sealed record StudyResults(
    string Directory, string Name, IReadOnlyList<FineTuneMetrics> FineTuning, IReadOnlyList<ProbeRow> Probes,
    IReadOnlyList<CkaRow> Cka, IReadOnlyList<StageRow> Stages, IReadOnlyList<FineTunedRun> FineTunedRuns,
    Provenance Provenance, IReadOnlyList<string> Unfinished, IReadOnlyList<string> Ambiguous, IReadOnlyList<CurveRow> Curve)
{
    public bool IsEmpty => FineTuning.Count == 0 && Probes.Count == 0 && Cka.Count == 0;

    public static StudyResults Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) throw new InputError($"{directory}: no such study folder");
        var results = new Collector(directory, Experiments.StudyCells.Classifier(directory));
        results.Walk(directory);
        results.LabelVariants();
        results.Unfinished.AddRange(CellsNotStarted(directory).Except(results.Unfinished));
        var seeds = results.Probes.Select(p => p.Seed).Concat(results.FineTuning.Select(f => f.Seed)).Concat(results.Stages.Select(s => s.Seed)).Distinct().Order().ToList();
        var provenance = new Provenance(results.CodeVersions.OrderByDescending(kv => kv.Value).ToDictionary(), seeds, results.RunCount);
        return new StudyResults(directory, StudyName(directory), results.FineTuning, results.Probes, results.Cka, results.Stages, results.FineTunedRuns,
            provenance, results.Unfinished, results.AmbiguousRows(), results.Curve);
    }

    /// <summary>
    /// Walks the study top-down. A run folder (config.json, not a model folder) is read as a whole
    /// and not entered: a protocol's own tables already cover the fine-tuning runs nested inside it.
    /// </summary>
    sealed class Collector(string root, Func<string, Experiments.StudyCells.Standing> standing)
    {
        public List<FineTuneMetrics> FineTuning { get; } = [];
        public List<ProbeRow> Probes { get; } = [];
        public List<CkaRow> Cka { get; } = [];
        public List<StageRow> Stages { get; } = [];
        public List<FineTunedRun> FineTunedRuns { get; } = [];
        public List<CurveRow> Curve { get; } = [];
        public List<string> Unfinished { get; } = [];
        public Dictionary<string, int> CodeVersions { get; } = [];
        public int RunCount { get; private set; }
        readonly List<string> probeRuns = [], fineTuningRuns = [], stageRuns = [], fineTunedRunOwners = [], curveRuns = [];
        readonly List<MethodVariants.Entry> configs = [];

        public void Walk(string folder)
        {
            if (File.Exists(Path.Combine(folder, RunFolder.ConfigFile)) && !IsModelFolder(folder))
            {
                Read(folder);
                return;
            }
            // Hidden folders (.superseded/ holds replaced runs) are never results.
            foreach (var child in System.IO.Directory.GetDirectories(folder).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal)) Walk(child);
        }

        void Read(string run)
        {
            var relative = Path.GetRelativePath(root, run);
            // A run the study no longer lists is not its result; one holding another run than its cell's is stale.
            var where = standing(run);
            if (where == Experiments.StudyCells.Standing.NotInStudy) return;
            if (!RunFolder.IsFinished(run) || where == Experiments.StudyCells.Standing.Stale)
            {
                Unfinished.Add(relative);
                return;
            }
            RunCount++;
            var manifest = ReadManifest(run);
            var version = manifest is null ? "unknown (no manifest)" : manifest.CodeVersion ?? "unknown";
            CodeVersions[version] = CodeVersions.GetValueOrDefault(version) + 1;
            if (manifest?.Command == "finetune")
            {
                var m = FineTuneRun.ReadFinished(run);
                FineTuning.Add(m);
                fineTuningRuns.Add(relative);
                var (kind, config) = ReadConfig(run);
                var seq2seq = kind == Seq2SeqFineTuneRun.Kind;
                configs.Add(new MethodVariants.Entry(relative, $"{kind}|{m.Task}", m.Method, config, MethodVariants.DefaultConfig(seq2seq, m.Method)));
                FineTunedRuns.Add(new FineTunedRun(relative, FineTunedRun.FineTuneProtocol, 1, m.Task, m.Method, m.Seed, m.Metric, m.BestDev, m.TrainSeconds, m.WallSeconds, m.Steps, DevExamples(config)));
                fineTunedRunOwners.Add(relative);
            }
            var probes = ReadTable<ProbeRow>(run, ProbeRun.ProbesFile);
            Probes.AddRange(probes);
            probeRuns.AddRange(probes.Select(_ => relative));
            Cka.AddRange(ReadTable<CkaRow>(run, ProbeRun.CkaFile));
            var stages = ReadTable<StageRow>(run, ProtocolRun.StagesFile);
            Stages.AddRange(stages);
            stageRuns.AddRange(stages.Select(_ => relative));
            var curve = ReadTable<CurveRow>(run, ProtocolRun.CurveFile);
            Curve.AddRange(curve);
            curveRuns.AddRange(curve.Select(_ => relative));
            var devExamples = stages.Count > 0 || probes.Any(p => p.StageIndex > 0) ? AddProtocolConfigs(run, relative) : [];
            if (stages.Count > 0)
            {
                var folders = StageFolders(run);
                FineTunedRuns.AddRange(stages.Select(s => new FineTunedRun(
                    folders.GetValueOrDefault((StagedFineTuning.RunName(s.Method, s.Seed), StagedFineTuning.StageFolderName(s.StageIndex, s.Stage)), relative),
                    s.Protocol, s.StageIndex, s.Stage, s.Method, s.Seed, s.Metric, s.Dev, s.TrainSeconds, null, s.Steps, devExamples.TryGetValue(s.Method, out var n) ? n : null)));
                fineTunedRunOwners.AddRange(stages.Select(_ => relative));
            }
        }

        /// <summary>
        /// A protocol's per-method fine-tuning configs (<c>config.methods</c> of its config.json, or
        /// <c>config.seq2seq_methods</c> for a generator's), compared with other runs of the same protocol over the same stage tasks.
        /// </summary>
        /// <returns>The dev examples each method's fine-tunings evaluated (<c>eval_examples</c>), by method kind, where a subset.</returns>
        Dictionary<string, int> AddProtocolConfigs(string run, string relative)
        {
            var devExamples = new Dictionary<string, int>();
            var (kind, config) = ReadConfig(run);
            if (config is null) return devExamples;
            var stageTasks = config["stage_tasks"]?.ToJsonString() ?? "";
            foreach (var (key, seq2seq) in new[] { ("methods", false), (ProtocolRun.Seq2SeqMethodsKey, true) })
                foreach (var method in (config[key] as JsonArray ?? []).OfType<JsonObject>())
                    if (method["method"]?["kind"] is JsonValue value && value.TryGetValue<string>(out var methodKind))
                    {
                        configs.Add(new MethodVariants.Entry(relative, $"{kind}|{stageTasks}", methodKind, method, MethodVariants.DefaultConfig(seq2seq, methodKind)));
                        if (DevExamples(method) is { } n) devExamples[methodKind] = n;
                    }
            return devExamples;
        }

        /// <summary>A fine-tuning config's <c>eval_examples</c> (a seq2seq run scores the first N dev documents), null for all.</summary>
        static int? DevExamples(JsonObject? config) =>
            config?["eval_examples"] is JsonValue examples && examples.TryGetValue<int>(out var n) && n > 0 ? n : null;

        /// <summary>
        /// Renames each fine-tuned series to its variant label (<see cref="MethodVariants"/>): runs of one
        /// method that differ in a config key become separate rows, claims and learned-task entries.
        /// </summary>
        public void LabelVariants()
        {
            var labels = MethodVariants.Labels(configs);
            string Label(string run, string method) => labels.GetValueOrDefault((run, method), method);
            for (int i = 0; i < FineTuning.Count; i++) FineTuning[i] = FineTuning[i] with { Method = Label(fineTuningRuns[i], FineTuning[i].Method) };
            for (int i = 0; i < Probes.Count; i++) Probes[i] = Probes[i] with { Method = Label(probeRuns[i], Probes[i].Method) };
            for (int i = 0; i < Stages.Count; i++) Stages[i] = Stages[i] with { Method = Label(stageRuns[i], Stages[i].Method) };
            for (int i = 0; i < Curve.Count; i++) Curve[i] = Curve[i] with { Method = Label(curveRuns[i], Curve[i].Method) };
            for (int i = 0; i < FineTunedRuns.Count; i++) FineTunedRuns[i] = FineTunedRuns[i] with { Method = Label(fineTunedRunOwners[i], FineTunedRuns[i].Method) };
        }

        /// <summary>Stage folders under a protocol run, by (method-seed folder, stage folder) name, relative to the study.</summary>
        Dictionary<(string, string), string> StageFolders(string run)
        {
            var folders = new Dictionary<(string, string), string>();
            foreach (var stage in System.IO.Directory.EnumerateDirectories(run, "stage-*", SearchOption.AllDirectories))
                folders.TryAdd((Path.GetFileName(Path.GetDirectoryName(stage)!), Path.GetFileName(stage)), Path.GetRelativePath(root, stage));
            return folders;
        }

        /// <summary>
        /// Rows from different run folders that agree on every column the reports group by, the method's
        /// variant included (<see cref="LabelVariants"/>), yet differ in value: the runs differ in something
        /// no column records, and averaging them would mix two settings into one number. Equal values from
        /// two folders (the base probed by two protocol runs with the same probe settings) are one measurement.
        /// </summary>
        public List<string> AmbiguousRows() =>
            [.. Probes.Select((p, i) => (Key: (p.Protocol, p.Method, p.Role, p.StageIndex, p.Seed, p.Task, p.Layer, p.Pooling, p.Probe, p.Metric), Run: probeRuns[i], p.Dev))
                .GroupBy(x => x.Key).Where(g => g.Select(x => x.Run).Distinct().Count() > 1 && g.Select(x => x.Dev).Distinct().Count() > 1)
                .Select(g => g.Select(x => x.Run).Distinct().Order(StringComparer.Ordinal).Aggregate((a, b) => $"{a} and {b}")).Distinct()];

        static List<T> ReadTable<T>(string run, string file)
        {
            var path = Path.Combine(run, file);
            return File.Exists(path) && File.ReadAllText(path).Trim().Length > 0 ? CsvTable.Read<T>(path) : [];
        }
    }

    /// <summary>A run's config.json: its kind and its <c>config</c> object (null where it has none).</summary>
    static (string Kind, JsonObject? Config) ReadConfig(string run)
    {
        var path = Path.Combine(run, RunFolder.ConfigFile);
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            return (root?["kind"] is JsonValue kind && kind.TryGetValue<string>(out var text) ? text : "", root?["config"] as JsonObject);
        }
        catch (JsonException e) { throw InputError.InFile(path, $"not valid JSON ({e.Message})"); }
    }

    sealed record ManifestFields(string? Command, string? CodeVersion);

    static ManifestFields? ReadManifest(string run)
    {
        var path = Path.Combine(run, RunFolder.ManifestFile);
        if (!File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            string? Field(string name) => document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return new ManifestFields(Field("command"), Field("code_version"));
        }
        catch (JsonException e) { throw InputError.InFile(path, $"not valid JSON ({e.Message})"); }
    }

    /// <summary>Model folders (best/, last/, model/, checkpoint/) hold an encoder config.json, not a run.</summary>
    static bool IsModelFolder(string folder) => File.Exists(Path.Combine(folder, Training.Checkpoints.EncoderCheckpoint.WeightsFile));

    /// <summary>The study's name from its manifest (a folder made by <c>workbench run</c>), else the folder's name.</summary>
    static string StudyName(string directory)
    {
        var fallback = Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/'));
        var manifest = Path.Combine(directory, Experiments.StudyRunner.ManifestFile);
        if (!File.Exists(manifest)) return fallback;
        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        return document.RootElement.TryGetProperty("spec", out var spec) && spec.TryGetProperty("name", out var name) ? name.GetString() ?? fallback : fallback;
    }

    /// <summary>Cells the study manifest lists whose folders do not exist yet.</summary>
    static IEnumerable<string> CellsNotStarted(string directory)
    {
        var manifest = Path.Combine(directory, Experiments.StudyRunner.ManifestFile);
        if (!File.Exists(manifest)) yield break;
        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        if (!document.RootElement.TryGetProperty("cells", out var cells)) yield break;
        foreach (var cell in cells.EnumerateArray())
        {
            var id = cell.GetProperty("id").GetString()!;
            if (!RunFolder.IsFinished(Path.Combine(directory, id)) && !System.IO.Directory.Exists(Path.Combine(directory, id))) yield return id;
        }
    }
}
