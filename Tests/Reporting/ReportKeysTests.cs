using NUnit.Framework;
using Probing.Probing.Protocols;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using Probing.Workbench.Reporting;
using Probing.Workbench.Reporting.Sections;
using static Probing.Tests.Reporting.StudyFixture;

namespace Probing.Tests.Reporting;

/// <summary>Reports keyed by what varies, and the learned-task guard, end to end through <c>workbench figures</c>.</summary>
public class ReportKeysTests
{
    static string Build(StudyFixture study)
    {
        var output = Directory.CreateTempSubdirectory("probing-report-").FullName;
        StudyReport.Build(study.Directory, output);
        return output;
    }

    static List<T> Table<T>(string output, string name) => CsvTable.Read<T>(Path.Combine(output, Report.TablesFolder, name + ".csv"));

    /// <summary>
    /// A chain fine-foods → qnli-proxy over 3 seeds whose qnli-proxy stage sits at 50.0 (qnli-proxy's dev is
    /// 50/50 over 1,000 examples: the no-skill bound is 50 + 1.96 × 1.58 = 53.1).
    /// </summary>
    static StudyFixture Chain(double secondStage)
    {
        var probes = new List<ProbeRow>();
        var stages = new List<StageRow>();
        foreach (var (method, shift) in new[] { ("standard", 0.0), ("r4f", 0.02) })
            foreach (var seed in new[] { 1, 2, 3 })
            {
                probes.Add(Probe("chain", method, "base", 0, "base", seed, "fine-foods", 0.64 + 0.005 * seed));
                probes.Add(Probe("chain", method, "checkpoint", 1, "fine-foods", seed, "fine-foods", 0.70 + 0.01 * seed));
                probes.Add(Probe("chain", method, "checkpoint", 2, "qnli-proxy", seed, "fine-foods", 0.66 + shift + 0.004 * seed * seed));
                stages.Add(Stage("chain", method, seed, 1, "fine-foods", 0.75 + 0.01 * seed));
                stages.Add(Stage("chain", method, seed, 2, "qnli-proxy", secondStage));
            }
        return new StudyFixture().Protocol("chain", "chain", probes, stages);
    }

    [Test]
    public void AStageAtChanceMakesItsClaimsNotInterpretable()
    {
        var output = Build(Chain(secondStage: 0.50));

        var runs = Table<RunRow>(output, "runs");
        Assert.That(runs, Has.Count.EqualTo(12));
        Assert.That(runs.Where(r => r.StageIndex == 2).Select(r => r.Learned), Is.All.EqualTo(false));
        Assert.That(runs.Where(r => r.StageIndex == 1).Select(r => r.Learned), Is.All.EqualTo(true));
        Assert.That(runs[0].NoSkillHigh, Is.Not.Null);
        var qnli = runs.First(r => r.Task == "qnli-proxy");
        Assert.That((qnli.NoSkill, qnli.NoSkillHigh), Is.EqualTo((0.5, 0.5 + 1.959963984540054 * Math.Sqrt(0.25 / 1000))).Within(1e-9));

        var claims = Table<ClaimRow>(output, "claims");
        var r4f = claims.Single(c => c.Method == "r4f" && c.Baseline == "standard");
        Assert.That(r4f.Claim, Is.EqualTo("R4F degrades the first task less than standard along the chain"));
        Assert.That(r4f.Verdict, Is.EqualTo("not interpretable"));
        Assert.That(r4f.Reason, Does.Contain("qnli-proxy (chain stage 2, no-skill bound 53.1): standard seeds 1 (50.0), 2 (50.0), 3 (50.0), r4f seeds 1 (50.0), 2 (50.0), 3 (50.0)"));
        Assert.That(claims.Where(c => c.Method != "base").Select(c => c.Verdict), Is.All.EqualTo("not interpretable"));

        var markdown = File.ReadAllText(Path.Combine(output, Report.ReportFile));
        Assert.That(markdown, Does.Contain("3 of 3 runs did not learn their task"));
        Assert.That(markdown, Does.Contain("✗3"), "the chain table marks the stage");
        Assert.That(markdown, Does.Contain("×: a seed whose fine-tuning did not learn its own task"), "and so does the chain figure's caption");
    }

    [Test]
    public void AStageThatLearnedLetsTheClaimBeDecided()
    {
        var claims = Table<ClaimRow>(Build(Chain(secondStage: 0.70)), "claims");
        var r4f = claims.Single(c => c.Method == "r4f" && c.Baseline == "standard");
        // r4f − standard after the last stage: +2 pts for every seed → zero spread.
        Assert.That(r4f.Verdict, Is.EqualTo("insufficient data"));
        var collapse = claims.Single(c => c.Method == "standard" && c.Baseline == "base");
        // standard − base per seed: 0.664−0.645, 0.676−0.650, 0.696−0.655 → a spread, a verdict.
        Assert.That(collapse.Verdict, Is.AnyOf("supported", "not significant"));
        Assert.That(collapse.N, Is.EqualTo(3));
    }

    /// <summary>A study with <c>"grid": {"probe": ["linear", "knn"]}</c>: the two probes are never averaged into one number.</summary>
    [Test]
    public void TwoProbesMakeTwoRowsAndTwoCaptions()
    {
        var probes = new List<ProbeRow>();
        var stages = new List<StageRow>();
        foreach (var (probe, offset) in new[] { ("linear", 0.0), ("knn", -0.20) })
            foreach (var seed in new[] { 1, 2, 3 })
                foreach (var task in new[] { "brown-genre", "wordnet-field" })
                {
                    probes.Add(Probe("generalization", "base", "base", 0, "", seed, task, 0.60 + offset + 0.01 * seed, probe: probe));
                    probes.Add(Probe("generalization", "random", "random", 0, "", seed, task, 0.35 + offset + 0.01 * seed, probe: probe));
                    probes.Add(Probe("generalization", "standard", "checkpoint", 1, "fine-foods", seed, task, 0.50 + offset + 0.012 * seed * seed, probe: probe));
                }
        foreach (var seed in new[] { 1, 2, 3 }) stages.Add(Stage("generalization", "standard", seed, 1, "fine-foods", 0.80));
        var study = new StudyFixture().Protocol("generalization", "generalization", probes.Where(p => p.Probe == "linear"), stages);
        study.Protocol("generalization-knn", "generalization", probes.Where(p => p.Probe == "knn"), stages);
        var output = Build(study);

        var summary = Table<SummaryRow>(output, "generalization").Where(r => r.Series == "base" && r.Task == "brown-genre").ToList();
        Assert.That(summary.Select(r => (r.Probe, r.Mean)), Is.EquivalentTo(new[] { ("knn", 0.42), ("linear", 0.62) }).Using<(string, double)>((a, b) => a.Item1 == b.Item1 && Math.Abs(a.Item2 - b.Item2) < 1e-12));

        var markdown = File.ReadAllText(Path.Combine(output, Report.ReportFile));
        Assert.That(markdown, Does.Contain("figures/generalization-knn.png").And.Contain("figures/generalization-linear.png"));
        Assert.That(markdown, Does.Contain("*Knn probe, mean pooling: probe dev accuracy").And.Contain("*Linear probe, mean pooling: probe dev accuracy"));
        Assert.That(markdown, Does.Not.Contain("Linear-probe"), "no caption names a probe the study did not use");
        Assert.That(markdown, Does.Match(@"\| base \| 62\.0 ± 1\.0 \| 62\.0 ± 1\.0 \| 62\.0 ± 1\.0 \|"), "the linear table");
        Assert.That(markdown, Does.Match(@"\| base \| 42\.0 ± 1\.0 \| 42\.0 ± 1\.0 \| 42\.0 ± 1\.0 \|"), "the knn table");
        Assert.That(markdown, Does.Not.Contain("were averaged").And.Not.Contain("agree on every column"), "different probes are not an ambiguity");

        var claims = Table<ClaimRow>(output, "claims");
        Assert.That(claims.Where(c => c.Method == "standard" && c.Baseline == "base").Select(c => c.Probe), Is.EquivalentTo(new[] { "knn", "linear" }));
    }

    [Test]
    public void RunsThatDifferInSomethingNoColumnRecordsAreNotAveragedSilently()
    {
        List<ProbeRow> Probes(double dev) => [.. new[] { 1, 2 }.Select(seed => Probe("generalization", "base", "base", 0, "", seed, "brown-genre", dev))];
        var study = new StudyFixture().Protocol("lr-1e-3", "generalization", Probes(0.6), []).Protocol("lr-3e-3", "generalization", Probes(0.5), []);
        var markdown = File.ReadAllText(Path.Combine(Build(study), Report.ReportFile));
        Assert.That(markdown, Does.Contain("lr-1e-3 and lr-3e-3 hold probe rows that agree on every column"));
    }
}
