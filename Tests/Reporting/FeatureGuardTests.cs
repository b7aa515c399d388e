using NUnit.Framework;
using Probing.Probing.Protocols;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using Probing.Workbench.Reporting;
using Probing.Workbench.Runs;

namespace Probing.Tests.Reporting;

/// <summary>Every study report states the base − random gap per probe task and warns where it is small.</summary>
public class FeatureGuardTests
{
    static ProbeRow Row(string role, int seed, string task, double dev) =>
        new("generalization", role, "", 0, role, role, "0123456789ab", seed, task, 2, "mean", "linear", "accuracy", dev, null, null, null, 100, 25, 1.0);

    [Test]
    public void ReportWarnsOnTheTaskWhereTheBaseBarelyBeatsRandomFeatures()
    {
        var study = Directory.CreateTempSubdirectory("probing-guard-").FullName;
        var run = Path.Combine(study, "probe", "generalization");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, RunFolder.ConfigFile), "{}\n");
        // brown-genre: base 0.60/0.62 vs random 0.40/0.42 (gap 20 pts); sotu-party: 0.53/0.51 vs 0.50/0.50 (gap 2 pts).
        CsvTable.Write(Path.Combine(run, ProbeRun.ProbesFile), new[]
        {
            Row("base", 1, "brown-genre", 0.60), Row("base", 2, "brown-genre", 0.62), Row("random", 1, "brown-genre", 0.40), Row("random", 2, "brown-genre", 0.42),
            Row("base", 1, "sotu-party", 0.53), Row("base", 2, "sotu-party", 0.51), Row("random", 1, "sotu-party", 0.50), Row("random", 2, "sotu-party", 0.50),
        });
        File.WriteAllText(Path.Combine(run, RunFolder.DoneFile), "done\n");

        var output = Directory.CreateTempSubdirectory("probing-guard-out-").FullName;
        StudyReport.Build(study, output);
        var markdown = File.ReadAllText(Path.Combine(output, Report.ReportFile));

        Assert.That(markdown, Does.Match(@"\| brown-genre \| 61\.0 \| 41\.0 \| \+20\.0 \| ok \|"));
        Assert.That(markdown, Does.Match(@"\| sotu-party \| 52\.0 \| 50\.0 \| \+2\.0 \| \*\*below 5 pts\*\* \|"));
        var warning = markdown.Split('\n').Single(line => line.Contains("beats a random encoder by less than"));
        Assert.That(warning, Does.Contain("sotu-party").And.Not.Contain("brown-genre"));
    }
}
