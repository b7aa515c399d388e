using System.Text.Json;
using Probing.Training.Infrastructure;
using Probing.Workbench.Runs;

namespace Probing.Workbench.Experiments;

/// <summary>
/// <c>study.json</c>: the spec, who ran it, every cell with its command line, the outcomes known so
/// far, and for a Slurm study every job array submitted for it, oldest first (a resubmission adds one
/// and never rewrites an earlier one). Written by both backends, read by <c>status</c>.
/// </summary>
public static class StudyManifest
{
    public const string FileName = "study.json";

    public static void Write(string directory, StudySpec spec, RunManifest manifest, IReadOnlyList<GridCell> cells, IEnumerable<CellOutcome> outcomes, IReadOnlyList<SlurmArray>? slurmArrays = null) =>
        Json.Write(Path.Combine(directory, FileName), new
        {
            spec,
            manifest,
            cells = cells.Select(c => new { c.Id, command = string.Join(' ', c.Arguments), identity = c.Identity?.Hash }),
            outcomes = outcomes.OrderBy(o => o.Id, StringComparer.Ordinal),
            slurm_arrays = slurmArrays ?? [],
        });

    /// <summary>What a study manifest records.</summary>
    /// <param name="Identities">Cell id → the hash of the run identity the cell makes (null where the command makes no single run).</param>
    /// <param name="SlurmArrays">Every job array submitted for the study, oldest first.</param>
    public sealed record Contents(IReadOnlyList<string> Cells, IReadOnlyDictionary<string, string> Outcomes, IReadOnlyList<SlurmArray> SlurmArrays, IReadOnlyDictionary<string, string?> Identities)
    {
        /// <summary>The latest job array, if any.</summary>
        public SlurmArray? Slurm => SlurmArrays.Count > 0 ? SlurmArrays[^1] : null;

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
            var arrays = new List<SlurmArray>();
            // Studies written before the history was kept hold their one array as "slurm".
            if (root.TryGetProperty("slurm", out var s) && s.ValueKind == JsonValueKind.Object)
                arrays.Add(JsonSerializer.Deserialize<SlurmArray>(s.GetRawText(), Json.Options)!);
            if (root.TryGetProperty("slurm_arrays", out var history) && history.ValueKind == JsonValueKind.Array)
                arrays.AddRange(history.EnumerateArray().Select(a => JsonSerializer.Deserialize<SlurmArray>(a.GetRawText(), Json.Options)!));
            return new Contents(cells, outcomes, arrays, identities);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw InputError.InFile(path, $"not a study manifest ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>The job arrays recorded in the study folder, oldest first; none where there is no <c>study.json</c> yet.</summary>
    public static IReadOnlyList<SlurmArray> SlurmArrays(string directory) =>
        File.Exists(Path.Combine(directory, FileName)) ? Read(directory).SlurmArrays : [];
}

/// <summary>A submitted job array: array task i runs <see cref="Cells"/>[i]; Slurm's output of task i is <see cref="TaskLogs"/>/i.log.</summary>
/// <param name="Submitted">When it was submitted (UTC, ISO 8601).</param>
public sealed record SlurmArray(string JobId, string Script, IReadOnlyList<string> Cells, string? Submitted = null, string? TaskLogs = null)
{
    /// <summary>The Slurm name of array task <paramref name="index"/>, e.g. 77_3.</summary>
    public string Task(int index) => $"{JobId}_{index}";
}
