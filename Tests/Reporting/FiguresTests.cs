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
        var report = FiguresCommand.Build(Fixture, output);

        var scatter = Path.Combine(output, Report.FiguresFolder, "methods-fine-foods");
        Assert.That(new FileInfo(scatter + ".png").Length, Is.GreaterThan(10_000));
        var svg = File.ReadAllText(scatter + ".svg");
        foreach (var method in new[] { "standard", "r3f", "sda" }) Assert.That(svg, Does.Contain(method), $"legend entry {method}");
        Assert.That(report.Figures, Is.EquivalentTo(new[] { "methods-fine-foods", "variance-fine-foods" }));

        var markdown = File.ReadAllText(Path.Combine(output, Report.ReportFile));
        Assert.That(markdown, Does.Contain("finetune/method-r3f_seed-5"), "the unfinished run is named");
        // r3f − standard per seed: +1.2, +1.1, +0.8, +1.1 pts → mean +1.05, paired t = 12.1 (df 3), p ≈ 0.001.
        Assert.That(markdown, Does.Match(@"R3F matches or beats standard fine-tuning \| dev score on fine-foods \| \+1\.05 pts .* \| \*\*supported\*\*"));
        var table = File.ReadAllText(Path.Combine(output, Report.TablesFolder, "methods-fine-foods.csv"));
        Assert.That(table, Does.Contain("standard,4,79.9 ± 0.9"), "mean 79.875, sd 0.854 (points)");
    }

    /// <summary>fine-foods' majority class ("great") is 63.1 % of dev: a run at 0.631 learned nothing.</summary>
    [Test]
    public void RunsAtTheMajorityBaselineAreFlagged()
    {
        var study = Directory.CreateTempSubdirectory("probing-figures-majority-").FullName;
        foreach (var (method, seed, dev) in new[] { ("standard", 1, 0.80), ("standard", 2, 0.79), ("freelb", 1, 0.631), ("freelb", 2, 0.75) })
        {
            var run = Path.Combine(study, "finetune", $"method-{method}_seed-{seed}");
            Directory.CreateDirectory(run);
            File.WriteAllText(Path.Combine(run, "config.json"), "{}\n");
            File.WriteAllText(Path.Combine(run, "manifest.json"), "{\"command\": \"finetune\"}");
            File.WriteAllText(Path.Combine(run, "metrics.json"), FormattableString.Invariant(
                $"{{\"task\": \"fine-foods\", \"method\": \"{method}\", \"seed\": {seed}, \"metric\": \"accuracy\", \"best_dev\": {dev}, \"best_step\": 10, \"best_scores\": {{\"accuracy\": {dev}}}, \"last_scores\": {{\"accuracy\": {dev}}}, \"steps\": 10, \"train_seconds\": 5, \"wall_seconds\": 6}}"));
            File.WriteAllText(Path.Combine(run, "DONE"), "done\n");
        }
        var output = Directory.CreateTempSubdirectory("probing-figures-majority-out-").FullName;
        FiguresCommand.Build(study, output);
        var warnings = File.ReadAllLines(Path.Combine(output, Report.ReportFile)).Where(l => l.Contains("majority-class baseline")).ToList();
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain("freelb on fine-foods: 1 of 2 runs").And.Contain("(63.1)"));
    }

    [Test]
    public void FolderWithoutResultsIsAClearError()
    {
        var empty = Directory.CreateTempSubdirectory("probing-figures-empty-").FullName;
        var error = Assert.Throws<InputError>(() => FiguresCommand.Build(empty));
        Assert.That(error!.Message, Does.StartWith(empty).And.Contain("no finished results"));
    }
}
