using Probing.Training.Infrastructure;
using Probing.Workbench.Experiments;
using Probing.Workbench.Reporting.Sections;
using Spectre.Console;

namespace Probing.Workbench.Reporting;

/// <summary>
/// A study's report (figures, tables and report.md) from its saved result files only; <c>workbench figures</c>
/// and <c>quickstart</c> call it, and so can a C# caller.
/// </summary>
public static class StudyReport
{
    /// <summary>The report's sections, in reading order; a new kind of result is one more section here.</summary>
    public static IReadOnlyList<IReportSection> Sections =>
    [
        new FeatureGuardSection(),
        new LearnedTaskSection(),
        new MethodsSection(),
        new GeneralizationSection(),
        new CurveSection(),
        new ChainSection(),
        new RetentionSection(),
        new DriftSection(),
    ];

    /// <summary>
    /// The study's report. Where a second seed block of the study has finished runs (a sibling folder
    /// named like the study plus <see cref="Replication.Suffix"/>, as <c>workbench run</c> names the
    /// replication specs' studies), its report is built too and this one says per claim whether the verdict replicates there.
    /// </summary>
    public static Report Build(string studyDirectory, string? outputDirectory = null)
    {
        var secondBlock = SecondBlock(studyDirectory);
        return Build(studyDirectory, outputDirectory, secondBlock is null ? null : Build(secondBlock, null, null).Claims);
    }

    static string? SecondBlock(string studyDirectory)
    {
        var full = Path.GetFullPath(studyDirectory).TrimEnd(Path.DirectorySeparatorChar);
        if (full.EndsWith(Replication.Suffix, StringComparison.Ordinal)) return null;
        var sibling = full + Replication.Suffix;
        return Directory.Exists(sibling) && !StudyResults.Load(sibling).IsEmpty ? sibling : null;
    }

    static Report Build(string studyDirectory, string? outputDirectory, IReadOnlyList<Claim>? secondBlock)
    {
        var results = StudyResults.Load(studyDirectory);
        if (results.IsEmpty)
            throw new InputError($"{studyDirectory}: no finished results (no run folder with DONE and result files){(results.Unfinished.Count > 0 ? $"; unfinished: {string.Join(", ", StudyStatus.Describe(studyDirectory, results.Unfinished))}" : "")}");
        var report = new Report(outputDirectory ?? Path.Combine(studyDirectory, "report"));
        if (results.Unfinished.Count > 0)
        {
            var message = $"the study is not finished; this report covers the finished runs only. Missing: {string.Join(", ", StudyStatus.Describe(studyDirectory, results.Unfinished))}";
            report.Warn(message);
            AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");
        }
        foreach (var ambiguous in results.Ambiguous)
            report.Warn($"{ambiguous} hold probe rows that agree on every column the report groups by (protocol, method and its config variant, seed, stage, task, layer, pooling, probe, metric) "
                + "but not in value: the runs differ in something no column records, and their values are averaged together here. Report such runs as separate studies.");
        var guard = LearnedTaskGuard.FromTaskData(results);
        foreach (var section in Sections.Where(s => s.AppliesTo(results))) section.Render(results, guard, report);
        var (title, description) = Describe(studyDirectory);
        report.Write(title, description, results.Provenance, secondBlock);
        return report;
    }

    /// <summary>The study's name and description from its manifest, when the folder came from <c>workbench run</c>.</summary>
    static (string Title, string Description) Describe(string directory)
    {
        var fallback = ($"Study {Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/'))}", "");
        var manifest = Path.Combine(directory, StudyRunner.ManifestFile);
        if (!File.Exists(manifest)) return fallback;
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(manifest));
        if (!document.RootElement.TryGetProperty("spec", out var spec)) return fallback;
        return ($"Study {spec.GetProperty("name").GetString()}", spec.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "");
    }
}
