using System.Text.Json;
using Probing.Training.Infrastructure;
using Probing.Workbench.Runs;

namespace Probing.Workbench.Experiments;

/// <summary>
/// <c>study.json</c>: the spec, who ran it, every cell with its command line, the outcomes known so
/// far, and for a Slurm study the job array that runs it. Written by both backends, read by <c>status</c>.
/// </summary>
public static class StudyManifest
{
    public const string FileName = "study.json";

    public static void Write(string directory, StudySpec spec, RunManifest manifest, IReadOnlyList<GridCell> cells, IEnumerable<CellOutcome> outcomes, SlurmArray? slurm = null) =>
        Json.Write(Path.Combine(directory, FileName), new
        {
            spec,
            manifest,
            cells = cells.Select(c => new { c.Id, command = string.Join(' ', c.Arguments) }),
            outcomes = outcomes.OrderBy(o => o.Id, StringComparer.Ordinal),
            slurm,
        });

    /// <summary>The cell ids, the outcomes recorded by a local run, and the Slurm array if any.</summary>
    public static (IReadOnlyList<string> Cells, IReadOnlyDictionary<string, string> Outcomes, SlurmArray? Slurm) Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw InputError.InFile(path, "file not found; is this a study folder written by `workbench run`?");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var cells = root.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
            var outcomes = root.GetProperty("outcomes").EnumerateArray()
                .ToDictionary(o => o.GetProperty("id").GetString()!, o => o.GetProperty("status").GetString()!);
            var slurm = root.TryGetProperty("slurm", out var s) && s.ValueKind == JsonValueKind.Object
                ? JsonSerializer.Deserialize<SlurmArray>(s.GetRawText(), Json.Options)
                : null;
            return (cells, outcomes, slurm);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw InputError.InFile(path, $"not a study manifest ({e.Message.Split('\n')[0]})");
        }
    }
}

/// <summary>A submitted job array: array task i runs <see cref="Cells"/>[i].</summary>
public sealed record SlurmArray(string JobId, string Script, IReadOnlyList<string> Cells);
