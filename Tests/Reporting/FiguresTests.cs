using NUnit.Framework;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using Probing.Workbench.Reporting;

namespace Probing.Tests.Reporting;

/// <summary>The figures command on a checked-in results fixture (hand-written scores; one interrupted run).</summary>
public class FiguresTests
{
    static string Fixture => Path.Combine(TestContext.CurrentContext.TestDirectory, "Reporting", "Fixtures", "study");

    [Test]
    public void ReportHasFiguresTablesClaimsAndAWarningForTheUnfinishedRun()
    {
        var output = Directory.CreateTempSubdirectory("probing-figures-").FullName;
        var report = StudyReport.Build(Fixture, output);

        var scatter = Path.Combine(output, Report.FiguresFolder, "methods-fine-foods");
        Assert.That(new FileInfo(scatter + ".png").Length, Is.GreaterThan(10_000));
        var svg = File.ReadAllText(scatter + ".svg");
        foreach (var method in new[] { "standard", "r3f", "sda" }) Assert.That(svg, Does.Contain(method), $"legend entry {method}");
        Assert.That(report.Figures, Is.EquivalentTo(new[] { "learned-task", "methods-fine-foods" }));

        var markdown = File.ReadAllText(Path.Combine(output, Report.ReportFile));
        Assert.That(markdown, Does.Contain("finetune/method-r3f_seed-5"), "the unfinished run is named");
        Assert.That(markdown, Does.Contain("seeds 1, 2, 3, 4"), "the seeds the report rests on");
        // r3f − standard per seed: +1.2, +1.1, +0.8, +1.1 pts → mean +1.05, paired t = 12.1 (df 3), p = 0.0012; six claims, Holm ≤ 6 × p.
        Assert.That(markdown, Does.Match(@"\| R3F matches or beats standard fine-tuning \| Aghajanyan et al\. 2020 \| best dev accuracy on fine-foods \| 4 \| \+1\.05 pts .* \| 0\.001 \| 0\.00\d \| \*\*supported\*\*"));
        var table = File.ReadAllText(Path.Combine(output, Report.TablesFolder, "methods-fine-foods.md"));
        Assert.That(table, Does.Contain("| standard | 4 | 79.9 ± 0.9 |"), "mean 79.875, sd 0.854 (points)");
        // standard's runs took 51, 52, 53 and 54 s: mean 52.5, sd 1.29, median 52.5, slowest 54.
        Assert.That(table, Does.Match(@"\| standard \| 4 \| .* \| 52\.5 ± 1\.3 \| 52\.5 \| 54\.0 \|"), "wall time mean ± sd, median and max");
        var summary = CsvTable.Read<SummaryRow>(Path.Combine(output, Report.TablesFolder, "methods.csv")).Single(r => r.Series == "standard" && r.Metric == "accuracy");
        Assert.That((summary.N, summary.Mean, summary.Sd!.Value), Is.EqualTo((4, 0.79875, 0.008539125638299665)).Within(1e-12), "numbers as numbers");
    }

    /// <summary>fine-foods' dev is 63.1 % "great" over 1,000 examples: the no-skill bound is 63.1 + 1.96 × 1.53 = 66.1.</summary>
    [Test]
    public void RunsThatDidNotLearnAreFlagged()
    {
        var study = new StudyFixture().FineTune("standard", 1, 0.80).FineTune("standard", 2, 0.79).FineTune("freelb", 1, 0.631).FineTune("freelb", 2, 0.75);
        var output = Directory.CreateTempSubdirectory("probing-figures-majority-out-").FullName;
        StudyReport.Build(study.Directory, output);
        var warnings = File.ReadAllLines(Path.Combine(output, Report.ReportFile)).Where(l => l.StartsWith("> **Warning:**") && l.Contains("did not learn their task")).ToList();
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain("freelb on fine-foods").And.Contain("1 of 2 runs").And.Contain("seed 1: 63.1").And.Contain("upper bound 66.1"));
        var runs = CsvTable.Read<RunRow>(Path.Combine(output, Report.TablesFolder, "runs.csv"));
        Assert.That(runs.Select(r => (r.Method, r.Seed, r.Learned)), Is.EquivalentTo(new (string, int, bool?)[] { ("standard", 1, true), ("standard", 2, true), ("freelb", 1, false), ("freelb", 2, true) }));
        Assert.That(runs.Select(r => r.Study).Distinct(), Is.EqualTo(new[] { Path.GetFileName(study.Directory) }));
    }

    [Test]
    public void FolderWithoutResultsIsAClearError()
    {
        var empty = Directory.CreateTempSubdirectory("probing-figures-empty-").FullName;
        var error = Assert.Throws<InputError>(() => StudyReport.Build(empty));
        Assert.That(error!.Message, Does.StartWith(empty).And.Contain("no finished results"));
    }
}
