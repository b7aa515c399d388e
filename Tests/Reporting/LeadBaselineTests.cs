using NUnit.Framework;
using Probing.Training.Data.Summarization;
using Probing.Training.Evaluation;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using Probing.Workbench.Reporting;

namespace Probing.Tests.Reporting;

/// <summary>The learned-task guard's bar for summarization: the lead baseline on the dev documents a run evaluated.</summary>
public class LeadBaselineTests
{
    // Lead-8 of A is "The cat sat on the mat all day" (8 tokens) against the reference "the cat sat":
    // ROUGE-L: LCS 3 → P 3/8, R 1 → F1 6/11; ROUGE-1 the same; ROUGE-2: 2 of the 7 bigrams match both of the
    // reference's 2 → P 2/7, R 1 → F1 4/9. B's lead shares no word with its reference: 0 everywhere.
    static readonly SummaryExample A = new("The cat sat on the mat all day long.", "the cat sat");
    static readonly SummaryExample B = new("Dogs bark loudly at night", "quiet cats");

    [Test]
    public void LeadScoresTheRunsRougeVariantAsAMeanOverDocuments()
    {
        var baseline = NoSkillBaseline.Lead("toy", [A, B], "rougeL")!;
        Assert.That(baseline.Value, Is.EqualTo(3.0 / 11).Within(1e-12), "(6/11 + 0) / 2");
        Assert.That(baseline.Metric, Is.EqualTo("rougeL"));
        Assert.That(baseline.Examples, Is.EqualTo(2));
        Assert.That(baseline.Rule, Does.StartWith("lead-8"));
        // A bootstrap interval over two documents lies between their scores.
        Assert.That(baseline.Low, Is.InRange(0.0, 3.0 / 11));
        Assert.That(baseline.High, Is.InRange(3.0 / 11, 6.0 / 11 + 1e-12));

        var bigrams = NoSkillBaseline.Lead("toy", [A], "rouge2")!;
        Assert.That((bigrams.Value, bigrams.Low, bigrams.High), Is.EqualTo((4.0 / 9, 4.0 / 9, 4.0 / 9)).Within(1e-12), "one document: no spread");
        Assert.That(NoSkillBaseline.Lead("toy", [A], "accuracy"), Is.Null, "no lead bar for a metric that is not ROUGE");
    }

    /// <summary>The ROUGE table: every variant a run recorded, not only the selection metric.</summary>
    [Test]
    public void EveryRecordedRougeVariantIsTabulated()
    {
        var study = new StudyFixture();
        foreach (var seed in new[] { 1, 2, 3 })
            study.FineTune("standard", seed, 0.30 + 0.01 * seed, task: "debian-headlines", metric: "rougeL",
                otherScores: FormattableString.Invariant($", \"rouge1\": {0.32 + 0.01 * seed}, \"rouge1_low\": 0.1, \"rouge2\": {0.10 * seed}"));
        var output = Directory.CreateTempSubdirectory("probing-report-").FullName;
        StudyReport.Build(study.Directory, output);

        var rows = CsvTable.Read<SummaryRow>(Path.Combine(output, Report.TablesFolder, "methods.csv"));
        // rouge2: 0.1, 0.2, 0.3 → mean 0.2, sd 0.1; the interval bound rouge1_low is not a score.
        var rouge2 = rows.Single(r => r.Metric == "rouge2");
        Assert.That((rouge2.N, rouge2.Mean, rouge2.Sd), Is.EqualTo((3, 0.2, (double?)0.1)).Using<(int, double, double?)>((a, b) =>
            a.Item1 == b.Item1 && Math.Abs(a.Item2 - b.Item2) < 1e-12 && Math.Abs(a.Item3!.Value - b.Item3!.Value) < 1e-12));
        Assert.That(rows.Select(r => r.Metric).Distinct(), Is.EquivalentTo(new[] { "rougeL", "wall_seconds", "rouge1", "rouge2" }));
        var markdown = File.ReadAllText(Path.Combine(output, Report.ReportFile));
        Assert.That(markdown, Does.Contain("| method | seeds | rouge1 | rouge2 | rougeL |"));
        Assert.That(markdown, Does.Contain("| standard | 3 | 34.0 ± 1.0"));
    }

    [Test]
    public void ARunLearnedOnlyAboveTheLeadIntervalsUpperEnd()
    {
        var baseline = NoSkillBaseline.Lead("toy", [A, A, A], "rougeL")!;
        Assert.That(baseline.High, Is.EqualTo(6.0 / 11).Within(1e-12));
        Assert.That(baseline.Learned(0.55), Is.True);
        Assert.That(baseline.Learned(0.54), Is.False);
    }

    /// <summary>
    /// Two runs of the embedded headline task that evaluated the first 5 and the first 12 dev documents: each is
    /// judged against lead-8 on its own documents (expected values: rouge-score's ROUGE-L of each document's
    /// first 8 words, averaged here).
    /// </summary>
    [Test]
    public void EachRunIsJudgedOnTheDevDocumentsItEvaluated()
    {
        var dev = SummarizationCatalog.Load("debian-headlines").Dev;
        double Lead(int n) => dev.Take(n).Average(e =>
            Rouge.Score(e.Summary, string.Join(' ', e.Document.Split(' ', '\t', '\n').Where(w => w.Length > 0).Take(8)))[RougeType.RougeL].F1);
        var study = new StudyFixture()
            .FineTune("standard", 1, 0.95, task: "debian-headlines", metric: "rougeL", config: "{\"eval_examples\": 5}")
            .FineTune("standard", 2, 0.01, task: "debian-headlines", metric: "rougeL", config: "{\"eval_examples\": 12}");
        var output = Directory.CreateTempSubdirectory("probing-report-").FullName;
        StudyReport.Build(study.Directory, output);

        var runs = CsvTable.Read<RunRow>(Path.Combine(output, Report.TablesFolder, "runs.csv")).OrderBy(r => r.Seed).ToList();
        Assert.That(runs[0].NoSkill, Is.EqualTo(Lead(5)).Within(1e-12));
        Assert.That(runs[1].NoSkill, Is.EqualTo(Lead(12)).Within(1e-12));
        Assert.That(runs.Select(r => r.Learned), Is.EqualTo(new bool?[] { true, false }));
        Assert.That(File.ReadAllText(Path.Combine(output, Report.ReportFile)), Does.Not.Contain("no no-skill baseline"));
    }
}
