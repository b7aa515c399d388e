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
            cells = cells.Select(c => new { c.Id, command = string.Join(' ', c.Arguments), identity = c.Identity?.Hash }),
            outcomes = outcomes.OrderBy(o => o.Id, StringComparer.Ordinal),
            slurm,
        });

    /// <summary>What a study manifest records.</summary>
    /// <param name="Identities">Cell id → the hash of the run identity the cell makes (null where the command makes no single run).</param>
    public sealed record Contents(IReadOnlyList<string> Cells, IReadOnlyDictionary<string, string> Outcomes, SlurmArray? Slurm, IReadOnlyDictionary<string, string?> Identities)
    {
        public void Deconstruct(out IReadOnlyList<string> cells, out IReadOnlyDictionary<string, string> outcomes, out SlurmArray? slurm) =>
            (cells, outcomes, slurm) = (Cells, Outcomes, Slurm);
    }

    /// <summary>The cell ids, the outcomes recorded by a local run, the Slurm array if any, and each cell's identity hash.</summary>
    public static Contents Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw InputError.InFile(path, "file not found; is this a study folder written by `workbench run`?");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var cells = root.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
            var identities = root.GetProperty("cells").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!,
                c => c.TryGetProperty("identity", out var identity) && identity.ValueKind == JsonValueKind.String ? identity.GetString() : null);
            var outcomes = root.GetProperty("outcomes").EnumerateArray()
                .ToDictionary(o => o.GetProperty("id").GetString()!, o => o.GetProperty("status").GetString()!);
            var slurm = root.TryGetProperty("slurm", out var s) && s.ValueKind == JsonValueKind.Object
                ? JsonSerializer.Deserialize<SlurmArray>(s.GetRawText(), Json.Options)
                : null;
            return new Contents(cells, outcomes, slurm, identities);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw InputError.InFile(path, $"not a study manifest ({e.Message.Split('\n')[0]})");
        }
    }
}

/// <summary>A submitted job array: array task i runs <see cref="Cells"/>[i].</summary>
public sealed record SlurmArray(string JobId, string Script, IReadOnlyList<string> Cells);
