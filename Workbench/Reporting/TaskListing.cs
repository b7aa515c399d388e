using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Probing.Probing.Protocols;
using Probing.Training.Data;
using Probing.Training.Evaluation;

namespace Probing.Workbench.Reporting;

/// <summary>
/// The task list of <c>workbench tasks</c> as data: one row of named values per task, shown as a
/// terminal table or written as CSV or JSON with the same columns (snake_case names, numbers as numbers).
/// </summary>
public sealed class TaskListing
{
    public const string TaskColumn = "task";

    readonly List<string> columns = [TaskColumn, "kind", "stands_in_for", "train", "dev", "test", "labels", "metric", "majority_dev"];
    readonly List<Dictionary<string, object?>> rows = [];
    readonly IReadOnlyList<int?> gapLimits;

    public TaskListing(IReadOnlyList<int?> gapLimits)
    {
        this.gapLimits = gapLimits;
        columns.AddRange(gapLimits.Select(GapColumn));
    }

    public IReadOnlyList<string> Columns => columns;
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows => rows;

    /// <summary>Column of the base − random gap at a probe train size ("gap_all", "gap_256").</summary>
    public static string GapColumn(int? limit) => "gap_" + (limit?.ToString(CultureInfo.InvariantCulture) ?? "all");

    public void Add(TaskData data, string kind, string standsInFor, IReadOnlyList<GapSummary> gaps)
    {
        var spec = data.Spec;
        var row = new Dictionary<string, object?>
        {
            [TaskColumn] = spec.Name, ["kind"] = kind, ["stands_in_for"] = standsInFor,
            ["train"] = data.Train.Count, ["dev"] = data.Dev.Count, ["test"] = data.Test?.Count,
            ["labels"] = LabelShares(data), ["metric"] = TaskScore.Name(spec.PrimaryMetric),
            ["majority_dev"] = spec.IsRegression ? null : Math.Round(TaskBaselines.Majority(data).Dev, 4),
        };
        foreach (var limit in gapLimits)
            row[GapColumn(limit)] = gaps.FirstOrDefault(s => s.Task == spec.Name && s.TrainLimit == limit) is { } s ? Math.Round(s.Gap, 2) : null;
        rows.Add(row);
    }

    /// <summary>"absent 50% present 50%", or "regression".</summary>
    public static string LabelShares(TaskData data) => data.Spec.IsRegression
        ? "regression"
        : string.Join(" ", data.Spec.Labels.Select((label, i) =>
            FormattableString.Invariant($"{label} {100.0 * data.Train.Count(e => e.Label == i) / data.Train.Count:F0}%")));

    public string ToCsv()
    {
        var text = new StringBuilder();
        text.AppendJoin(',', columns.Select(Quote)).Append('\n');
        foreach (var row in rows) text.AppendJoin(',', columns.Select(c => Quote(Format(row[c])))).Append('\n');
        return text.ToString();
    }

    public JsonArray ToJson() => [.. rows.Select(row => (JsonNode)new JsonObject(columns.Select(c => KeyValuePair.Create(c, Node(row[c])))))];

    static JsonNode? Node(object? value) => value switch
    {
        null => null,
        int i => JsonValue.Create(i),
        double d => JsonValue.Create(d),
        _ => JsonValue.Create(Format(value)),
    };

    public static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled.</summary>
    public static string Quote(string field) => field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
