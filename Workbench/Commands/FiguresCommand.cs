using System.CommandLine;
using Probing.Training.Infrastructure;
using Probing.Workbench.Reporting;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench figures &lt;results/study&gt;</c>: figures, tables and report.md from the saved result files only.</summary>
public static class FiguresCommand
{
    public static Command Create()
    {
        var studies = new Argument<string[]>("studies") { Description = "Study folders, e.g. results/quickstart or results/paper-*", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Where the report goes (default <study>/report; only with one study)" };
        var overview = new Option<string?>("--overview")
        {
            Description = "Also write the papers' claims of all given studies, on both seed blocks, as one Markdown table (FILE.md) and CSV beside it: the README's claims table"
        };
        var command = new Command("figures", "Redraw studies' figures, tables and report.md from their saved results (no model code runs)") { studies, output, overview };
        command.SetAction(parse =>
        {
            var folders = parse.GetValue(studies)!;
            if (folders.Length > 1 && parse.GetValue(output) is not null) throw new InputError($"--out names one report folder, but {folders.Length} studies were given");
            var overviewFile = parse.GetValue(overview);
            if (overviewFile is not null && !overviewFile.EndsWith(".md", StringComparison.Ordinal)) throw new InputError($"{overviewFile}: --overview writes Markdown; name a .md file");
            var listed = folders.Select(f => Path.GetFullPath(f).TrimEnd(Path.DirectorySeparatorChar)).ToHashSet(StringComparer.Ordinal);
            var claims = new List<(string, IReadOnlyList<ReplicatedClaim>)>();
            foreach (var folder in folders)
            {
                // A second seed block is reported with its study (StudyReport.Build), not twice.
                var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
                if (full.EndsWith(Replication.Suffix, StringComparison.Ordinal) && listed.Contains(full[..^Replication.Suffix.Length])) continue;
                var report = StudyReport.Build(folder, parse.GetValue(output));
                AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(Path.Combine(report.Directory, Report.ReportFile))}[/] with {report.Figures.Count} figures");
                claims.Add((Path.GetFileName(full), report.Replicated));
            }
            if (overviewFile is not null)
            {
                var rows = ClaimsOverview.Write(overviewFile, claims);
                AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(overviewFile)}[/] with {rows.Count} paper claims of {claims.Count} {(claims.Count == 1 ? "study" : "studies")}");
            }
            return 0;
        });
        return command.RunsNoTorch();
    }
}
