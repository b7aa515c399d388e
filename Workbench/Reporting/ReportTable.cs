using System.Globalization;
using System.Text;
using CsvHelper;

namespace Probing.Workbench.Reporting;

/// <summary>
/// A table as a reader sees it (<c>tables/&lt;name&gt;.md</c> and the report): formatted cells, scores in
/// points, often pivoted. The numbers behind it are the tidy CSVs (<see cref="Report.Data{T}"/>).
/// </summary>
public sealed record ReportTable(string Name, string Caption, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", Header) + " |");
        text.AppendLine("|" + string.Concat(Header.Select(_ => "---|")));
        foreach (var row in Rows) text.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|"))) + " |");
        return text.ToString();
    }
}

/// <summary>
/// The one schema of every descriptive table a report writes (<c>generalization.csv</c>,
/// <c>chain.csv</c>, <c>methods-&lt;task&gt;.csv</c>, …): the keys that place a value (empty where they do
/// not apply), then n and the summary over seeds on the value's own scale (scores as fractions). sd and
/// the 95 % interval are empty with one seed; the interval is Student's t, not cut at the metric's range.
/// <see cref="NotLearned"/> counts the seeds that rest on a run that did not learn its task.
/// </summary>
[CsvRecord]
public partial record SummaryRow(
    string Section, string Protocol, int? StageIndex, string Stage, string Task, string Probe, string Pooling, int? Layer, string Metric,
    string Series, int N, double Mean, double? Sd, double? CiLow, double? CiHigh, double Median, double Min, double Max, int NotLearned, string Seeds)
{
    /// <summary>A row from per-seed values, with the keys <paramref name="keys"/> carries.</summary>
    public static SummaryRow Of(SummaryRow keys, IReadOnlyDictionary<int, SeedValue> values)
    {
        var s = Summary.Of([.. values.Values.Select(v => v.Value)]);
        double? Finite(double x) => double.IsFinite(x) ? x : null;
        return keys with
        {
            N = s.Count, Mean = s.Mean, Sd = Finite(s.StandardDeviation), CiLow = Finite(s.CiLow), CiHigh = Finite(s.CiHigh),
            Median = s.Median, Min = s.Min, Max = s.Max, NotLearned = values.Values.Count(v => !v.Learned),
            Seeds = string.Join(" ", values.Keys.Order()),
        };
    }

    /// <summary>Keys only; the numbers are filled by <see cref="Of"/>.</summary>
    public static SummaryRow Keys(string section, string series, string protocol = "", int? stageIndex = null, string stage = "", string task = "",
        string probe = "", string pooling = "", int? layer = null, string metric = "") =>
        new(section, protocol, stageIndex, stage, task, probe, pooling, layer, metric, series, 0, 0, null, null, null, 0, 0, 0, 0, "");
}

/// <summary>How numbers read in Markdown: scores in points, signs explicit on effects, p-values to three places.</summary>
public static class Format
{
    /// <summary>"81.2" from 0.812.</summary>
    public static string Points(double fraction) => (100 * fraction).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>"81.2 ± 1.3" in points (sd over seeds), "81.2" for one seed; "✗" marks values that rest on a run that did not learn.</summary>
    public static string MeanSd(IReadOnlyDictionary<int, SeedValue>? values, double scale = 100, string decimals = "0.0")
    {
        if (values is null || values.Count == 0) return "–";
        var s = Summary.Of([.. values.Values.Select(v => scale * v.Value)]);
        var text = s.Mean.ToString(decimals, CultureInfo.InvariantCulture)
            + (s.Count > 1 ? " ± " + s.StandardDeviation.ToString(decimals, CultureInfo.InvariantCulture) : "");
        var failed = values.Values.Count(v => !v.Learned);
        return failed == 0 ? text : $"{text} ✗{failed}";
    }

    /// <summary>"+1.2" / "-0.3" / "0.0": rounded first, so a value that rounds to zero never prints as "-0.0".</summary>
    public static string Signed(double value, int decimals = 1)
    {
        if (!double.IsFinite(value)) return "–";
        var rounded = Math.Round(value, decimals);
        var digits = new string('0', decimals);
        return (rounded == 0 ? 0 : rounded).ToString($"+0.{digits};-0.{digits};0.{digits}", CultureInfo.InvariantCulture);
    }

    public static string P(double p) => !double.IsFinite(p) ? "–" : p < 0.001 ? "< 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>An effect with its interval in the unit's display form: "+2.25 pts [−0.34, +4.16]", "×0.42 [0.10, 1.70]".</summary>
    public static string Effect(Comparison c, ValueUnit unit)
    {
        if (c.Test == EffectTest.VarianceRatio)
            return double.IsFinite(c.Effect)
                ? FormattableString.Invariant($"variance ratio {c.Effect:0.00}") + (double.IsFinite(c.CiLow) ? FormattableString.Invariant($" [{c.CiLow:0.00}, {c.CiHigh:0.00}]") : "")
                : "–";
        var (scale, suffix) = unit switch { ValueUnit.Score => (100.0, " pts"), ValueUnit.Seconds => (1.0, " s"), _ => (1.0, "") };
        var decimals = unit == ValueUnit.Similarity ? 3 : 2;
        return Signed(scale * c.Effect, decimals) + suffix
            + (double.IsFinite(c.CiLow) ? $" [{Signed(scale * c.CiLow, decimals)}, {Signed(scale * c.CiHigh, decimals)}]" : "");
    }
}
