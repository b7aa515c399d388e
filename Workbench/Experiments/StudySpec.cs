using System.Text.Json;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Experiments;

/// <summary>
/// An experiment as a file: a name, what it is for, and groups of runs. Each group runs one
/// workbench command over a grid (every combination of the listed option values), with fixed
/// options and <c>--set</c> config overrides shared by all its cells.
/// </summary>
public sealed record StudySpec
{
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public List<RunGroup> Runs { get; init; } = [];

    public static StudySpec Read(string path)
    {
        var spec = Json.Read<StudySpec>(path);
        if (string.IsNullOrWhiteSpace(spec.Name)) throw InputError.InFile(path, "name: expected a non-empty study name");
        if (spec.Runs.Count == 0) throw InputError.InFile(path, "runs: expected at least one group of runs");
        for (int i = 0; i < spec.Runs.Count; i++) spec.Runs[i].Validate(path, $"runs[{i}]");
        return spec;
    }
}

public sealed record RunGroup
{
    /// <summary>Folder of this group inside the study (defaults to the command name).</summary>
    public string? Name { get; init; }
    public string Command { get; init; } = "";
    /// <summary>Option name (without dashes) → values; every combination is one run.</summary>
    public Dictionary<string, List<JsonElement>> Grid { get; init; } = [];
    /// <summary>Options passed unchanged to every run (a list becomes several values of one option).</summary>
    public Dictionary<string, JsonElement> Options { get; init; } = [];
    /// <summary>Config overrides passed as <c>--set key=value</c> to every run.</summary>
    public Dictionary<string, JsonElement> Set { get; init; } = [];

    public string FolderName => Name ?? Command;

    internal void Validate(string path, string where)
    {
        if (string.IsNullOrWhiteSpace(Command)) throw InputError.InFile(path, $"{where}.command: expected a workbench command");
        foreach (var (key, values) in Grid)
            if (values.Count == 0) throw InputError.InFile(path, $"{where}.grid.{key}: expected at least one value");
    }
}
