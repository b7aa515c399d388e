using Probing.Probing.Protocols;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using Probing.Workbench.Runs;

namespace Probing.Workbench.Reporting;

/// <summary>
/// Every saved result under a study folder — the only input of reporting: fine-tuning metrics,
/// probe, CKA and stage tables of finished runs, plus the runs that have not finished (so a report
/// of a half-done study can say what it is missing).
/// </summary>
public sealed record StudyResults(
    string Directory, IReadOnlyList<FineTuneMetrics> FineTuning, IReadOnlyList<ProbeRow> Probes,
    IReadOnlyList<CkaRow> Cka, IReadOnlyList<StageRow> Stages, IReadOnlyList<string> Unfinished)
{
    public bool IsEmpty => FineTuning.Count == 0 && Probes.Count == 0 && Cka.Count == 0;

    public static StudyResults Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) throw new InputError($"{directory}: no such study folder");
        var results = new Collector(directory, Experiments.StudyCells.Classifier(directory));
        results.Walk(directory);
        results.Unfinished.AddRange(CellsNotStarted(directory).Except(results.Unfinished));
        return new StudyResults(directory, results.FineTuning, results.Probes, results.Cka, results.Stages, results.Unfinished);
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
        public List<string> Unfinished { get; } = [];

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
            // A run the study no longer lists is not its result; one holding another run than its cell's is stale.
            var where = standing(run);
            if (where == Experiments.StudyCells.Standing.NotInStudy) return;
            if (!RunFolder.IsFinished(run) || where == Experiments.StudyCells.Standing.Stale)
            {
                Unfinished.Add(Path.GetRelativePath(root, run));
                return;
            }
            if (ManifestCommand(run) == "finetune") FineTuning.Add(FineTuneRun.ReadFinished(run));
            ReadTable(run, ProbeRun.ProbesFile, Probes);
            ReadTable(run, ProbeRun.CkaFile, Cka);
            ReadTable(run, ProtocolRun.StagesFile, Stages);
        }

        static void ReadTable<T>(string run, string file, List<T> into)
        {
            var path = Path.Combine(run, file);
            if (File.Exists(path)) into.AddRange(CsvTable.Read<T>(path));
        }
    }

    /// <summary>Model folders (best/, last/, model/, checkpoint/) hold an encoder config.json, not a run.</summary>
    static bool IsModelFolder(string folder) => File.Exists(Path.Combine(folder, Training.Checkpoints.EncoderCheckpoint.WeightsFile));

    static string? ManifestCommand(string run)
    {
        var path = Path.Combine(run, RunFolder.ManifestFile);
        if (!File.Exists(path)) return null;
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.TryGetProperty("command", out var command) ? command.GetString() : null;
    }

    /// <summary>Cells the study manifest lists whose folders do not exist yet.</summary>
    static IEnumerable<string> CellsNotStarted(string directory)
    {
        var manifest = Path.Combine(directory, Experiments.StudyRunner.ManifestFile);
        if (!File.Exists(manifest)) yield break;
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(manifest));
        if (!document.RootElement.TryGetProperty("cells", out var cells)) yield break;
        foreach (var cell in cells.EnumerateArray())
        {
            var id = cell.GetProperty("id").GetString()!;
            if (!RunFolder.IsFinished(Path.Combine(directory, id)) && !System.IO.Directory.Exists(Path.Combine(directory, id))) yield return id;
        }
    }
}
