using System.CommandLine;
using Probing.Training.Infrastructure;
using Probing.Workbench.Reporting;
using Probing.Workbench.Reporting.Sections;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench figures &lt;results/study&gt;</c>: figures, tables and report.md from the saved result files only.</summary>
public static class FiguresCommand
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

    public static Command Create()
    {
        var studies = new Argument<string[]>("studies") { Description = "Study folders, e.g. results/quickstart or results/paper-*", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Where the report goes (default <study>/report; only with one study)" };
        var command = new Command("figures", "Redraw studies' figures, tables and report.md from their saved results (no model code runs)") { studies, output };
        command.SetAction(parse =>
        {
            var folders = parse.GetValue(studies)!;
            if (folders.Length > 1 && parse.GetValue(output) is not null) throw new InputError($"--out names one report folder, but {folders.Length} studies were given");
            var listed = folders.Select(f => Path.GetFullPath(f).TrimEnd(Path.DirectorySeparatorChar)).ToHashSet(StringComparer.Ordinal);
            foreach (var folder in folders)
            {
                // A second seed block is reported with its study (below), not twice.
                var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
                if (full.EndsWith(Replication.Suffix, StringComparison.Ordinal) && listed.Contains(full[..^Replication.Suffix.Length])) continue;
                var report = Build(folder, parse.GetValue(output));
                AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(Path.Combine(report.Directory, Report.ReportFile))}[/] with {report.Figures.Count} figures");
            }
            return 0;
        });
        return command.RunsNoTorch();
    }

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
            throw new InputError($"{studyDirectory}: no finished results (no run folder with DONE and result files){(results.Unfinished.Count > 0 ? $"; unfinished: {string.Join(", ", Experiments.StudyStatus.Describe(studyDirectory, results.Unfinished))}" : "")}");
        var report = new Report(outputDirectory ?? Path.Combine(studyDirectory, "report"));
        if (results.Unfinished.Count > 0)
        {
            var message = $"the study is not finished; this report covers the finished runs only. Missing: {string.Join(", ", Experiments.StudyStatus.Describe(studyDirectory, results.Unfinished))}";
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
        var manifest = Path.Combine(directory, Experiments.StudyRunner.ManifestFile);
        if (!File.Exists(manifest)) return fallback;
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(manifest));
        if (!document.RootElement.TryGetProperty("spec", out var spec)) return fallback;
        return ($"Study {spec.GetProperty("name").GetString()}", spec.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "");
    }
}
