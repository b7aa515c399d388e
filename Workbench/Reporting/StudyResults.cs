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
    IReadOnlyList<CkaRow> Cka, IReadOnlyList<string> Unfinished)
{
    public bool IsEmpty => FineTuning.Count == 0 && Probes.Count == 0 && Cka.Count == 0;

    public static StudyResults Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) throw new InputError($"{directory}: no such study folder");
        List<FineTuneMetrics> fineTuning = [];
        List<ProbeRow> probes = [];
        List<CkaRow> cka = [];
        List<string> unfinished = [];
        foreach (var config in System.IO.Directory.EnumerateFiles(directory, RunFolder.ConfigFile, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var run = Path.GetDirectoryName(config)!;
            if (IsModelFolder(run)) continue;
            if (!RunFolder.IsFinished(run))
            {
                unfinished.Add(Path.GetRelativePath(directory, run));
                continue;
            }
            if (ManifestCommand(run) == "finetune") fineTuning.Add(FineTuneRun.ReadFinished(run));
            var probeFile = Path.Combine(run, ProbeRun.ProbesFile);
            if (File.Exists(probeFile)) probes.AddRange(CsvTable.Read<ProbeRow>(probeFile));
            var ckaFile = Path.Combine(run, ProbeRun.CkaFile);
            if (File.Exists(ckaFile)) cka.AddRange(CsvTable.Read<CkaRow>(ckaFile));
        }
        unfinished.AddRange(CellsNotStarted(directory).Except(unfinished));
        return new StudyResults(directory, fineTuning, probes, cka, unfinished);
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
