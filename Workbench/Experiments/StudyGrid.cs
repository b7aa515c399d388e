using System.Globalization;
using System.Text.Json;

namespace Probing.Workbench.Experiments;

/// <summary>
/// One run of a study: its folder (relative to the study), the command line that produces it, and
/// (once planned) the identity of the run that command makes there; null for a command that makes no
/// single run in that folder, whose cell is then judged by its DONE marker alone.
/// </summary>
public sealed record GridCell(string Id, IReadOnlyList<string> Arguments, Runs.RunIdentity? Identity = null);

/// <summary>Expands a spec into cells: the cartesian product of each group's grid, in spec order.</summary>
public static class StudyGrid
{
    /// <param name="extraOverrides">Extra <c>--set</c> assignments for every cell (e.g. from <c>workbench run --set</c>).</param>
    /// <param name="extraArguments">Extra options for every cell (e.g. <c>--model DIR</c>).</param>
    public static IReadOnlyList<GridCell> Expand(StudySpec spec, string studyDirectory, IReadOnlyList<string> extraOverrides, IReadOnlyList<string>? extraArguments = null)
    {
        var cells = new List<GridCell>();
        foreach (var group in spec.Runs)
        {
            foreach (var combination in Combinations([.. group.Grid]))
            {
                var id = combination.Count == 0
                    ? group.FolderName
                    : $"{group.FolderName}/{string.Join("_", combination.Select(c => $"{c.Key}-{Slug(c.Value)}"))}";
                var arguments = new List<string> { group.Command };
                foreach (var (key, value) in combination) arguments.AddRange([$"--{key}", Text(value)]);
                foreach (var (key, value) in group.Options)
                {
                    arguments.Add($"--{key}");
                    if (value.ValueKind == JsonValueKind.Array) arguments.AddRange(value.EnumerateArray().Select(Text));
                    else if (value.ValueKind != JsonValueKind.True) arguments.Add(Text(value));
                }
                foreach (var (key, value) in group.Set) arguments.AddRange(["--set", $"{key}={Raw(value)}"]);
                foreach (var assignment in extraOverrides) arguments.AddRange(["--set", assignment]);
                arguments.AddRange(extraArguments ?? []);
                arguments.AddRange(["--out", Path.Combine(studyDirectory, id)]);
                cells.Add(new GridCell(id, arguments));
            }
        }
        var duplicate = cells.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new Training.Infrastructure.InputError($"study '{spec.Name}': two runs would share the folder {duplicate.Key}; give the groups distinct names");
        return cells;
    }

    static IEnumerable<List<(string Key, JsonElement Value)>> Combinations(List<KeyValuePair<string, List<JsonElement>>> axes)
    {
        if (axes.Count == 0)
        {
            yield return [];
            yield break;
        }
        foreach (var value in axes[0].Value)
            foreach (var rest in Combinations(axes[1..]))
                yield return [(axes[0].Key, value), .. rest];
    }

    static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetDouble().ToString(CultureInfo.InvariantCulture),
        _ => value.GetRawText(),
    };

    /// <summary>The value as <c>--set</c> parses it: JSON for numbers, booleans, arrays; bare text for strings.</summary>
    static string Raw(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    static string Slug(JsonElement value) => new([.. Text(value).Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '-')]);
}
