using NUnit.Framework;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using Probing.Workbench.Reporting;

namespace Probing.Tests.Reporting;

/// <summary>The verdict rules (docs/reporting.md): enough paired seeds with a spread, learned tasks, Holm's adjustment; claims for every method.</summary>
public class ClaimsTests
{
    static IReadOnlyDictionary<int, SeedValue> Seeds(params double[] values) =>
        values.Select((v, i) => (Seed: i + 1, Value: new SeedValue(v))).ToDictionary(x => x.Seed, x => x.Value);

    static Measurement DevScore(params (string Series, IReadOnlyDictionary<int, SeedValue> Values)[] series) =>
        new(new MeasurementKey("methods", "dev-score", Task: "fine-foods", Metric: "accuracy"), "best dev accuracy on fine-foods", ValueUnit.Score,
            series.ToDictionary(s => s.Series, s => s.Values));

    static IReadOnlyList<Claim> Decide(params Measurement[] measurements) => VerdictRules.Decide(ClaimBuilder.Evidence(measurements, PaperClaims.All));

    /// <summary>The quickstart's chain claim: two seeds, both +2.40 pts. It was "supported" at p = 0.</summary>
    [Test]
    public void AZeroVariancePairOfTwoSeedsIsInsufficientData()
    {
        var claim = Decide(DevScore(("standard", Seeds(0.800, 0.810)), ("r4f", Seeds(0.824, 0.834)))).Single();
        Assert.That(claim.Verdict, Is.EqualTo(Verdict.InsufficientData));
        Assert.That(claim.Evidence.Comparison.HasPValue, Is.False, "no p-value from a zero standard error");
        Assert.That(claim.Reason, Does.Contain("2 paired seeds"));
    }

    [Test]
    public void ThreeSeedsWithZeroSpreadAreNotSupported()
    {
        var claim = Decide(DevScore(("standard", Seeds(0.80, 0.81, 0.79)), ("r4f", Seeds(0.824, 0.834, 0.814)))).Single();
        Assert.That(claim.Evidence.Comparison.Count, Is.EqualTo(3));
        Assert.That(claim.Verdict, Is.EqualTo(Verdict.InsufficientData));
        Assert.That(claim.Reason, Does.Contain("zero spread"));
    }

    /// <summary>Three raw p-values below 0.05 whose Holm-adjusted values are not: no claim is supported.</summary>
    [Test]
    public void SupportedOnlyOnTheAdjustedPValue()
    {
        var measurement = DevScore(("standard", Seeds(0.80, 0.81, 0.79)));
        ClaimEvidence Evidence(string method, double p) => new(measurement, method, "standard", ClaimDirection.Higher, "", $"{method} beats standard",
            new Comparison(EffectTest.PairedDifference, 5, 0.02, 0.01, 0.005, 0.035, p), [1, 2, 3, 4, 5], []);
        var claims = VerdictRules.Decide([Evidence("a", 0.02), Evidence("b", 0.03), Evidence("c", 0.04)]);
        Assert.That(claims.Select(c => c.AdjustedP), Is.EqualTo(new[] { 0.06, 0.06, 0.06 }).Within(1e-12));
        Assert.That(claims.Select(c => c.Verdict), Is.All.EqualTo(Verdict.NotSignificant));

        var alone = VerdictRules.Decide([Evidence("a", 0.02)]).Single();
        Assert.That(alone.Verdict, Is.EqualTo(Verdict.Supported), "the same p-value alone in its report");
    }

    [Test]
    public void ASignificantEffectAgainstTheClaimedDirectionRefutesIt()
    {
        // sda − standard per seed: −2, −3, −2.5, −2.8, −2.2 pts; the paper claims SDA beats vanilla fine-tuning.
        var claims = Decide(DevScore(("standard", Seeds(0.80, 0.81, 0.79, 0.82, 0.80)), ("sda", Seeds(0.78, 0.78, 0.765, 0.792, 0.778))));
        var mean = claims.Single(c => c.Evidence.Comparison.Test == EffectTest.PairedDifference);
        Assert.That(mean.Evidence.Statement, Is.EqualTo("SDA beats vanilla fine-tuning"));
        Assert.That(mean.Verdict, Is.EqualTo(Verdict.Refuted));
    }

    [Test]
    public void ARunThatDidNotLearnMakesItsClaimsNotInterpretable()
    {
        var failed = new RunRow("s", "finetune/method-r3f_seed-2", "finetune", 1, "r3f", 2, "fine-foods", "accuracy", 0.631, 0.631, 0.601, 0.661, false, 5, 6, 10);
        var stuck = new Dictionary<int, SeedValue> { [1] = new(0.83), [2] = new(0.631, [failed]), [3] = new(0.84) };
        var claims = Decide(DevScore(("standard", Seeds(0.80, 0.81, 0.79)), ("r3f", stuck)));
        Assert.That(claims.Select(c => c.Verdict), Is.All.EqualTo(Verdict.NotInterpretable));
        Assert.That(claims[0].Reason, Does.Contain("fine-foods (finetune, no-skill bound 66.1): r3f seed 2 (63.1)"));
    }

    /// <summary>A method no paper and no line of reporting code knows gets its claims against standard and the base like any other.</summary>
    [Test]
    public void ANewMethodNameGetsItsClaims()
    {
        var study = new StudyFixture();
        foreach (var (seed, standard, mine) in new[] { (1, 0.80, 0.83), (2, 0.79, 0.83), (3, 0.81, 0.85), (4, 0.80, 0.82) })
            study.FineTune("standard", seed, standard, wall: 5 + 0.1 * seed).FineTune("my-new-method", seed, mine, wall: 9 + 0.3 * seed);
        var output = Directory.CreateTempSubdirectory("probing-claims-new-").FullName;
        StudyReport.Build(study.Directory, output);

        var claims = CsvTable.Read<ClaimRow>(Path.Combine(output, Report.TablesFolder, Report.ClaimsFile));
        Assert.That(claims.Where(c => c.Method == "my-new-method").Select(c => (c.Quantity, c.Test, c.Baseline)), Is.EquivalentTo(new[]
        {
            ("dev-score", "paired_t", "standard"), ("dev-score", "pitman_morgan", "standard"), ("wall-seconds", "paired_t", "standard"),
        }));
        // my-new-method − standard: +3, +4, +4, +2 pts → mean 3.25, sd 0.957, t = 6.79 (df 3), p = 0.0065; Holm over 3 claims.
        var dev = claims.Single(c => c.Method == "my-new-method" && c.Quantity == "dev-score" && c.Test == "paired_t");
        Assert.That(dev.Effect, Is.EqualTo(0.0325).Within(1e-12));
        Assert.That(dev.P, Is.EqualTo(0.0065).Within(0.0005));
        Assert.That(dev.PHolm, Is.GreaterThanOrEqualTo(dev.P));
        Assert.That(dev.Verdict, Is.EqualTo("supported"));
        Assert.That(dev.Claim, Is.EqualTo("my-new-method differs from standard"));
        Assert.That(File.ReadAllText(Path.Combine(output, Report.ReportFile)), Does.Contain("| my-new-method differs from standard |"));
    }
}

/// <summary>A claim judged on a second, disjoint seed block (docs/reporting.md, replication.csv).</summary>
public class ReplicationTests
{
    static readonly Measurement Score = new(new MeasurementKey("methods", "dev-score", Task: "fine-foods", Metric: "accuracy"), "best dev accuracy on fine-foods",
        ValueUnit.Score, new Dictionary<string, IReadOnlyDictionary<int, SeedValue>>());

    static ClaimEvidence Evidence(string method, double p, int n = 5, IReadOnlyList<RunRow>? notLearned = null) =>
        new(Score, method, "standard", ClaimDirection.Higher, "", $"{method} beats standard",
            new Comparison(EffectTest.PairedDifference, n, 0.02, 0.01, 0.005, 0.035, p), [.. Enumerable.Range(1, n)], notLearned ?? []);

    [Test]
    public void SameDecisiveVerdictReplicatesAnotherDoesNotAndAnUndecidedBlockCannotTell()
    {
        // First block: a and b supported (Holm over 3: 0.003, 0.004 → below 0.05), c not significant.
        var first = VerdictRules.Decide([Evidence("a", 0.001), Evidence("b", 0.002), Evidence("c", 0.5)]);
        // Second block: a supported, b not significant, c with two seeds only; d exists only here.
        var second = VerdictRules.Decide([Evidence("a", 0.001), Evidence("b", 0.2), Evidence("c", 0.01, n: 2), Evidence("d", 0.001)]);
        Assert.That(first.Select(c => c.Verdict), Is.EqualTo(new[] { Verdict.Supported, Verdict.Supported, Verdict.NotSignificant }));

        var replicated = Replication.Compare(first, second);
        Assert.That(replicated.Select(r => r.First.Evidence.Method), Is.EqualTo(new[] { "a", "b", "c" }), "one row per claim of the first block");
        Assert.That(replicated.Select(r => r.Replicates), Is.EqualTo(new bool?[] { true, false, null }));
        Assert.That(replicated[2].Second!.Verdict, Is.EqualTo(Verdict.InsufficientData));
        Assert.That(replicated.Select(r => r.ToRow().Replicates), Is.EqualTo(new[] { "yes", "no", "cannot tell" }));

        var missing = Replication.Compare(first, [second[0]]);
        Assert.That(missing[1].Second, Is.Null);
        Assert.That(missing[1].Replicates, Is.Null, "a claim the second block does not make cannot replicate");
    }

    [Test]
    public void TwoNotSignificantVerdictsReplicateAsANullResult()
    {
        var first = VerdictRules.Decide([Evidence("a", 0.4)]);
        var second = VerdictRules.Decide([Evidence("a", 0.7)]);
        Assert.That(Replication.Compare(first, second).Single().Replicates, Is.True);
    }
}

/// <summary>The papers' claims of several studies on both seed blocks, in one table (figures --overview).</summary>
public class ClaimsOverviewTests
{
    static readonly Measurement Score = new(new MeasurementKey("methods", "dev-score", Task: "fine-foods", Metric: "accuracy"), "best dev accuracy on fine-foods",
        ValueUnit.Score, new Dictionary<string, IReadOnlyDictionary<int, SeedValue>>());

    static ClaimEvidence Evidence(string method, string paper, double p) =>
        new(Score, method, "standard", ClaimDirection.Higher, paper, $"{method} beats standard",
            new Comparison(EffectTest.PairedDifference, 5, 0.02, 0.01, 0.005, 0.035, p), [1, 2, 3, 4, 5], []);

    [Test]
    public void ListsOnlyPaperClaimsWithBothBlocksAndSaysWhenTheSecondDidNotRun()
    {
        // Block 1: r3f (a paper claim) p 0.001 and a generic claim p 0.002 → Holm 0.002 and 0.002, both supported.
        var first = VerdictRules.Decide([Evidence("r3f", "Aghajanyan et al. 2020", 0.001), Evidence("sda", "", 0.002)]);
        var second = VerdictRules.Decide([Evidence("r3f", "Aghajanyan et al. 2020", 0.3), Evidence("sda", "", 0.002)]);
        var path = Path.Combine(Directory.CreateTempSubdirectory("probing-overview-").FullName, "claims.md");

        var rows = ClaimsOverview.Write(path, [("paper-methods", Replication.Compare(first, second)), ("paper-other", Replication.Compare(first, []))]);

        Assert.That(rows.Select(r => (r.Study, r.Claim)), Is.EqualTo(new[] { ("paper-methods", "r3f beats standard"), ("paper-other", "r3f beats standard") }),
            "the generic sda claim stays in its report");
        Assert.That((rows[0].FirstVerdict, rows[0].FirstPHolm, rows[0].SecondVerdict, rows[0].SecondPHolm!.Value, rows[0].Replicates),
            Is.EqualTo(("supported", 0.002, "not significant", 0.3, "no")).Within(1e-12), "Holm over each block's own two claims: 2 × 0.001; max(2 × 0.002, 0.3)");
        Assert.That((rows[1].SecondVerdict, rows[1].SecondN, rows[1].Replicates), Is.EqualTo(("", (int?)null, "cannot tell")));
        var markdown = File.ReadAllLines(path);
        Assert.That(markdown[2], Does.StartWith("| paper-methods | r3f beats standard (Aghajanyan et al. 2020) | best dev accuracy on fine-foods | 5, +2.00 pts"));
        Assert.That(markdown[2], Does.EndWith("| **supported** | 5, +2.00 pts [+0.50, +3.50], 0.300 | **not significant** | no |"));
        Assert.That(markdown[3], Does.Contain("| not run | – | cannot tell |"));
        Assert.That(CsvTable.Read<OverviewRow>(Path.ChangeExtension(path, ".csv")), Has.Count.EqualTo(2));
    }
}

public class SelfDistillationClaimTests
{
    /// <summary>Xu et al.'s claim (g), SDV ≥ SDA, is a pair the generic rules (every method against standard and the base) do not make.</summary>
    [Test]
    public void SdvIsComparedWithSdaAsWellAsWithStandard()
    {
        IReadOnlyDictionary<int, SeedValue> Seeds(params double[] values) => values.Select((v, i) => (i + 1, new SeedValue(v))).ToDictionary(x => x.Item1, x => x.Item2);
        var measurement = new Measurement(new MeasurementKey("methods", "dev-score", Task: "word-usage-proxy", Metric: "accuracy"), "best dev accuracy on word-usage-proxy", ValueUnit.Score,
            new Dictionary<string, IReadOnlyDictionary<int, SeedValue>>
            {
                ["standard"] = Seeds(0.60, 0.62, 0.61, 0.63), ["sda"] = Seeds(0.62, 0.63, 0.62, 0.65), ["sdv"] = Seeds(0.64, 0.66, 0.63, 0.68),
            });
        var claims = ClaimBuilder.Evidence([measurement], PaperClaims.All).Where(e => e.Comparison.Test == EffectTest.PairedDifference).ToList();
        var sdvSda = claims.Single(e => e.Method == "sdv" && e.Baseline == "sda");
        Assert.That(sdvSda.Statement, Does.StartWith("SDV beats SDA"));
        Assert.That(sdvSda.Direction, Is.EqualTo(ClaimDirection.Higher));
        Assert.That(sdvSda.Comparison.Effect, Is.EqualTo((0.02 + 0.03 + 0.01 + 0.03) / 4).Within(1e-12), "mean per-seed sdv − sda");
        Assert.That(claims.Where(e => e.Baseline == "standard").Select(e => e.Method), Is.EquivalentTo(new[] { "sda", "sdv" }));
    }
}
