using System.Text;
using Probing.Training.Infrastructure;
using Probing.Workbench.Runs;

namespace Probing.Workbench.Reporting;

/// <summary>
/// What the sections of a report add up to: Markdown text, figures (PNG + SVG), tables (CSV +
/// Markdown), the measurements claims are made from, and warnings; written under
/// <c>&lt;study&gt;/report/</c> with <c>report.md</c> beside them. Claims are built when the report is
/// written, over all measurements at once, so Holm's adjustment covers every claim of the report.
/// </summary>
public sealed class Report(string directory)
{
    public const string FiguresFolder = "figures", TablesFolder = "tables", ReportFile = "report.md", ClaimsFile = "claims.csv";

    readonly StringBuilder body = new();
    readonly List<Measurement> measurements = [];
    readonly List<string> warnings = [];
    readonly List<string> figures = [];
    readonly List<string> tables = [];

    public string Directory { get; } = directory;
    public IReadOnlyList<string> Figures => figures;
    /// <summary>The table files written so far (<c>name.csv</c>, <c>name.md</c>), claims.csv aside.</summary>
    public IReadOnlyList<string> Tables => tables;
    public IReadOnlyList<Claim> Claims { get; private set; } = [];
    /// <summary>Every claim of this report beside the same claim on the second seed block (null where that block did not run or has no such claim).</summary>
    public IReadOnlyList<ReplicatedClaim> Replicated { get; private set; } = [];

    public void Heading(string text) => body.AppendLine().AppendLine($"## {text}").AppendLine();
    public void Paragraph(string text) => body.AppendLine(text).AppendLine();
    public void Warn(string text) => warnings.Add(text);

    /// <summary>A quantity claims are made from (every method against standard and the base).</summary>
    public void Measure(Measurement measurement) => measurements.Add(measurement);

    public void Figure(Figure figure, string name, string caption)
    {
        if (figures.Contains(name)) throw new InvalidOperationException($"two figures named {name}");
        ChartStyle.Save(figure.Plot, Path.Combine(Directory, FiguresFolder), name);
        figures.Add(name);
        var text = caption + figure.Notes;
        body.AppendLine($"![{caption}]({FiguresFolder}/{name}.png)").AppendLine().AppendLine($"*{text}* ([SVG]({FiguresFolder}/{name}.svg))").AppendLine();
    }

    /// <summary>A formatted table in the report and as <c>tables/&lt;name&gt;.md</c>.</summary>
    public void Table(ReportTable table)
    {
        Reserve(table.Name + ".md");
        AtomicFile.WriteAllText(Path.Combine(Directory, TablesFolder, table.Name + ".md"), table.ToMarkdown());
        body.AppendLine(table.Caption).AppendLine().Append(table.ToMarkdown()).AppendLine();
    }

    /// <summary>A tidy table, <c>tables/&lt;name&gt;.csv</c>: one typed row per observation (docs/reporting.md lists every schema).</summary>
    public void Data<T>(string name, IEnumerable<T> rows)
    {
        Reserve(name + ".csv");
        CsvTable.Write(Path.Combine(Directory, TablesFolder, name + ".csv"), rows);
    }

    void Reserve(string file)
    {
        if (tables.Contains(file)) throw new InvalidOperationException($"two tables named {file}");
        tables.Add(file);
    }

    /// <param name="secondBlock">The claims of the same study on a second, disjoint seed block (its own report), if it ran:
    /// the report then says per claim whether the verdict replicates there (<see cref="Replication"/>).</param>
    public void Write(string title, string description, Provenance provenance, IReadOnlyList<Claim>? secondBlock = null)
    {
        Claims = VerdictRules.Decide(ClaimBuilder.Evidence(measurements, PaperClaims.All));
        var text = new StringBuilder().AppendLine($"# {title}").AppendLine();
        if (description.Length > 0) text.AppendLine(description).AppendLine();
        text.AppendLine(ProvenanceText(provenance)).AppendLine();
        text.AppendLine("Every number is over seeds as stated next to it (mean ± sd; 95 % intervals of the mean by Student's t). "
            + $"Claims compare every method (and every config variant of one, named in parentheses) with `standard`, with `standard` of the same variant and with the base, paired by seed; a verdict needs at least {VerdictRules.MinimumSeeds} paired seeds with a non-zero spread, "
            + $"runs that learned their own task, and a Holm-adjusted p below {VerdictRules.Alpha} over the {Claims.Count(c => c.Evidence.Comparison.HasPValue)} claims of this report that have a p-value (rules: docs/reporting.md).").AppendLine();
        foreach (var warning in warnings) text.AppendLine($"> **Warning:** {warning}").AppendLine();
        if (Claims.Count > 0)
        {
            text.AppendLine("## Claims").AppendLine();
            text.AppendLine("| claim | paper | evidence | n | effect (method − baseline) [95 % CI] | p | p (Holm) | verdict | why |").AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var c in Claims)
            {
                var e = c.Evidence;
                text.AppendLine($"| {e.Statement} | {(e.Paper.Length > 0 ? e.Paper : "–")} | {e.Measurement.Description} | {e.Comparison.Count} | {Format.Effect(e.Comparison, e.Measurement.Unit)} | "
                    + $"{Format.P(e.Comparison.PValue)} | {Format.P(c.AdjustedP)} | **{c.VerdictText}** | {(c.Reason.Length > 0 ? c.Reason : "")} |");
            }
            text.AppendLine();
        }
        CsvTable.Write(Path.Combine(Directory, TablesFolder, ClaimsFile), Claims.Select(c => c.ToRow()));
        Replicated = Replication.Compare(Claims, secondBlock ?? []);
        if (secondBlock is not null && Claims.Count > 0) AppendReplication(text, Replicated);
        text.Append(body);
        AtomicFile.WriteAllText(Path.Combine(Directory, ReportFile), text.ToString());
    }

    void AppendReplication(StringBuilder text, IReadOnlyList<ReplicatedClaim> claims)
    {
        text.AppendLine("## Replication on the second seed block").AppendLine();
        text.AppendLine($"The same runs on other seeds (the study's `{Replication.Suffix}` block, its own report and Holm family). A claim replicates when both blocks reach the same "
            + "verdict among supported, refuted and not significant; where either block has insufficient data or rests on a run that did not learn, nothing can be told. "
            + $"{claims.Count(c => c.Replicates == true)} of {claims.Count} claims replicate, {claims.Count(c => c.Replicates == false)} do not.").AppendLine();
        text.AppendLine("| claim | evidence | this block: effect, p (Holm), verdict | second block: effect, p (Holm), verdict | replicates |").AppendLine("|---|---|---|---|---|");
        foreach (var c in claims)
        {
            string Block(Claim? claim) => claim is null ? "–" : $"{Format.Effect(claim.Evidence.Comparison, claim.Evidence.Measurement.Unit)}, {Format.P(claim.AdjustedP)}, {claim.VerdictText}";
            text.AppendLine($"| {c.Statement} | {c.First.Evidence.Measurement.Description} | {Block(c.First)} | {Block(c.Second)} | **{ReplicatedClaim.Text(c.Replicates)}** |");
        }
        text.AppendLine();
        CsvTable.Write(Path.Combine(Directory, TablesFolder, Replication.TableName + ".csv"), claims.Select(c => c.ToRow()));
    }

    static string ProvenanceText(Provenance provenance)
    {
        var versions = string.Join(", ", provenance.CodeVersions.Select(kv => $"`{kv.Key}` ({kv.Value} run{(kv.Value == 1 ? "" : "s")})"));
        var seeds = provenance.Seeds.Count == 0 ? "none" : string.Join(", ", provenance.Seeds);
        return $"**Provenance.** {provenance.Runs} finished run folder{(provenance.Runs == 1 ? "" : "s")}, code version {versions}; seeds {seeds}. "
            + $"Written by `workbench figures` (code version `{RunManifest.CodeVersionOf(typeof(Report).Assembly)}`) from the saved result files only.";
    }
}
