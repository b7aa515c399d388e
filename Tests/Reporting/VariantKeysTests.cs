using System.Globalization;
using NUnit.Framework;
using Probing.Probing.Protocols;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using Probing.Workbench.Reporting;
using static Probing.Tests.Reporting.StudyFixture;

namespace Probing.Tests.Reporting;

/// <summary>
/// Fine-tunings of one method that differ in a config key are separate rows, learned-task entries and
/// claim arms; identical configs stay one row. End to end through <c>workbench figures</c>.
/// </summary>
public class VariantKeysTests
{
    static string Build(StudyFixture study)
    {
        var output = Directory.CreateTempSubdirectory("probing-report-").FullName;
        StudyReport.Build(study.Directory, output);
        return output;
    }

    static List<T> Table<T>(string output, string name) => CsvTable.Read<T>(Path.Combine(output, Report.TablesFolder, name + ".csv"));

    static string FineTuneConfig(string method, int seed, double labelSmoothing = 0, double learningRate = 0.001) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"task\": \"fine-foods\", \"method\": {{\"kind\": \"{method}\", \"label_smoothing\": {labelSmoothing}}}, \"seed\": {seed}, \"learning_rate\": {learningRate}, \"max_steps\": 300}}");

    /// <summary>The summarization study's shape: a "plain" and a "label-smoothed" spec group, both fine-tuning standard and r3f.</summary>
    static StudyFixture TwoLabelSmoothingGroups()
    {
        var study = new StudyFixture();
        foreach (var (group, smoothing, shift) in new[] { ("plain", 0.0, 0.0), ("label-smoothed", 0.1, 0.10) })
            foreach (var (method, gain) in new[] { ("standard", 0.0), ("r3f", 0.02) })
                foreach (var seed in new[] { 1, 2, 3 })
                    study.FineTune(method, seed, 0.70 + shift + gain + 0.01 * seed * seed * (method == "r3f" ? 2 : 1), group: group,
                        config: FineTuneConfig(method, seed, labelSmoothing: smoothing));
        return study;
    }

    [Test]
    public void TwoLabelSmoothingGroupsMakeTwoRowsPerMethod()
    {
        var output = Build(TwoLabelSmoothingGroups());

        var methods = Table<SummaryRow>(output, "methods").Where(r => r.Metric == "accuracy").ToList();
        Assert.That(methods.Select(r => (r.Series, r.N)), Is.EqualTo(new[]
        {
            ("standard", 3), ("standard (label_smoothing=0.1)", 3), ("r3f", 3), ("r3f (label_smoothing=0.1)", 3),
        }), "one row per method and label smoothing, each with its own 3 seeds, the default setting first");
        // standard, plain: 0.70 + 0.01 s² for s = 1, 2, 3 → mean 0.70 + 0.14/3.
        Assert.That(methods[0].Mean, Is.EqualTo(0.70 + 0.14 / 3).Within(1e-12));
        Assert.That(methods[1].Mean, Is.EqualTo(0.80 + 0.14 / 3).Within(1e-12));

        var learned = Table<SummaryRow>(output, "learned-task");
        Assert.That(learned.Select(r => (r.Series, r.N)), Is.EquivalentTo(new[]
        {
            ("standard", 3), ("standard (label_smoothing=0.1)", 3), ("r3f", 3), ("r3f (label_smoothing=0.1)", 3),
        }), "the learned-task table counts each variant's own seeds (was: 6 seeds of standard)");
        var runs = Table<RunRow>(output, "runs");
        Assert.That(runs.Where(r => r.Run.StartsWith("label-smoothed/", StringComparison.Ordinal)).Select(r => r.Method),
            Is.All.EndsWith("(label_smoothing=0.1)"));

        var claims = Table<ClaimRow>(output, "claims").Where(c => c.Test == "paired_t" && c.Quantity == "dev-score").ToList();
        Assert.That(claims.Select(c => (c.Method, c.Baseline)), Is.EquivalentTo(new[]
        {
            ("standard (label_smoothing=0.1)", "standard"), ("r3f", "standard"), ("r3f (label_smoothing=0.1)", "standard"),
            ("r3f (label_smoothing=0.1)", "standard (label_smoothing=0.1)"),
        }), "every variant against standard, and against standard with the same label smoothing");
        // r3f + LS − standard + LS, per seed: 0.02 + 0.01 s² → mean 0.02 + 0.14/3.
        var matched = claims.Single(c => c.Baseline == "standard (label_smoothing=0.1)");
        Assert.That(matched.Effect, Is.EqualTo(0.02 + 0.14 / 3).Within(1e-12));
        var all = Table<ClaimRow>(output, "claims").Where(c => c.P is not null).ToList();
        var smallest = all.MinBy(c => c.P)!;
        Assert.That(smallest.PHolm, Is.EqualTo(Math.Min(1, all.Count * smallest.P!.Value)).Within(1e-12), "Holm's adjustment runs over every claim of the report");

        var markdown = File.ReadAllText(Path.Combine(output, Report.ReportFile));
        Assert.That(markdown, Does.Contain("| standard (label_smoothing=0.1) | 3 |"));
    }

    [Test]
    public void ALearningRateGridMakesTwoRowsPerMethodAndMatchedClaims()
    {
        var study = new StudyFixture();
        foreach (var (rate, shift) in new[] { (2e-4, 0.0), (3e-4, 0.05) })
            foreach (var method in new[] { "standard", "r3f" })
                foreach (var seed in new[] { 1, 2, 3 })
                    study.FineTune(method, seed, 0.70 + shift + (method == "r3f" ? 0.01 * seed : 0), group: FormattableString.Invariant($"lr-{rate}"),
                        config: FineTuneConfig(method, seed, learningRate: rate));
        var output = Build(study);

        var methods = Table<SummaryRow>(output, "methods").Where(r => r.Metric == "accuracy").Select(r => (r.Series, r.N)).ToList();
        // Neither rate is the default (1e-4), so both carry the key.
        Assert.That(methods, Is.EqualTo(new[]
        {
            ("standard (learning_rate=0.0002)", 3), ("standard (learning_rate=0.0003)", 3), ("r3f (learning_rate=0.0002)", 3), ("r3f (learning_rate=0.0003)", 3),
        }));
        var claims = Table<ClaimRow>(output, "claims").Where(c => c.Test == "paired_t" && c.Quantity == "dev-score").Select(c => (c.Method, c.Baseline)).ToList();
        Assert.That(claims, Is.EquivalentTo(new[]
        {
            ("r3f (learning_rate=0.0002)", "standard (learning_rate=0.0002)"), ("r3f (learning_rate=0.0003)", "standard (learning_rate=0.0003)"),
        }), "each rate's r3f against standard at the same rate; no bare standard exists to compare with");
    }

    /// <summary>The same fine-tuning config under two probes (a <c>"grid": {"probe": [...]}</c>): one fine-tuning row, not two settings.</summary>
    [Test]
    public void IdenticalFineTuningConfigsUnderTwoProbesStayOneRow()
    {
        var probes = new List<ProbeRow>();
        var stages = new List<StageRow>();
        foreach (var seed in new[] { 1, 2, 3 })
        {
            stages.Add(Stage("generalization", "standard", seed, 1, "fine-foods", 0.80 + 0.01 * seed));
            foreach (var probe in new[] { "linear", "knn" })
            {
                probes.Add(Probe("generalization", "base", "base", 0, "", seed, "brown-genre", 0.60 + 0.01 * seed, probe: probe));
                probes.Add(Probe("generalization", "standard", "checkpoint", 1, "fine-foods", seed, "brown-genre", 0.50 + 0.012 * seed * seed, probe: probe));
            }
        }
        string Config(string probe) =>
            $"{{\"protocol\": \"generalization\", \"stage_tasks\": [\"fine-foods\"], \"probe\": {{\"probe\": \"{probe}\"}}, \"methods\": [{FineTuneConfig("standard", 1)}]}}";
        var study = new StudyFixture()
            .Protocol("linear", "generalization", probes.Where(p => p.Probe == "linear"), stages, Config("linear"))
            .Protocol("knn", "generalization", probes.Where(p => p.Probe == "knn"), stages, Config("knn"));
        var output = Build(study);

        var learned = Table<SummaryRow>(output, "learned-task");
        Assert.That(learned.Select(r => (r.Series, r.N)), Is.EqualTo(new[] { ("standard", 3) }), "one fine-tuning row with its 3 seeds");
        var generalization = Table<SummaryRow>(output, "generalization").Select(r => r.Series).Distinct();
        Assert.That(generalization, Is.EquivalentTo(new[] { "base", "standard" }));
        var markdown = File.ReadAllText(Path.Combine(output, Report.ReportFile));
        Assert.That(markdown, Does.Contain("| generalization | 1:fine-foods | standard | 3 |"));
    }

    /// <summary>Two protocol runs at different learning rates: their probe rows are two series, not one ambiguous average.</summary>
    [Test]
    public void ProtocolRunsThatDifferInAConfigKeyAreTwoSeries()
    {
        var study = new StudyFixture();
        foreach (var (rate, shift) in new[] { (0.001, 0.0), (0.003, -0.1) })
        {
            var seeds = new[] { 1, 2, 3 };
            var probes = seeds.SelectMany(seed => new[]
            {
                Probe("generalization", "base", "base", 0, "", seed, "brown-genre", 0.60),
                Probe("generalization", "standard", "checkpoint", 1, "fine-foods", seed, "brown-genre", 0.55 + shift + 0.01 * seed * seed),
            }).ToList();
            var stages = seeds.Select(seed => Stage("generalization", "standard", seed, 1, "fine-foods", 0.80)).ToList();
            study.Protocol(FormattableString.Invariant($"lr-{rate}"), "generalization", probes, stages,
                $"{{\"protocol\": \"generalization\", \"stage_tasks\": [\"fine-foods\"], \"methods\": [{FineTuneConfig("standard", 1, learningRate: rate)}]}}");
        }
        var output = Build(study);

        var series = Table<SummaryRow>(output, "generalization").Select(r => r.Series).Distinct();
        Assert.That(series, Is.EquivalentTo(new[] { "base", "standard (learning_rate=0.001)", "standard (learning_rate=0.003)" }));
        var claims = Table<ClaimRow>(output, "claims");
        Assert.That(claims.Where(c => c.Baseline == "base").Select(c => c.Method),
            Is.EquivalentTo(new[] { "standard (learning_rate=0.001)", "standard (learning_rate=0.003)" }), "each setting's collapse claim on its own");
        Assert.That(File.ReadAllText(Path.Combine(output, Report.ReportFile)), Does.Not.Contain("agree on every column"));
    }

    [Test]
    public void LabelsParseBackToTheirMethod()
    {
        Assert.That(MethodLabel.KindOf("r3f (label_smoothing=0.1)"), Is.EqualTo("r3f"));
        Assert.That(MethodLabel.VariantOf("r3f (label_smoothing=0.1)"), Is.EqualTo("label_smoothing=0.1"));
        Assert.That(MethodLabel.VariantOf("self-ensemble"), Is.EqualTo(""));
        Assert.That(MethodOrder.Sort(["r3f (a=1)", "standard (a=1)", "r3f", "standard", "base"]),
            Is.EqualTo(new[] { "base", "standard", "standard (a=1)", "r3f", "r3f (a=1)" }));
    }
}
