using NUnit.Framework;
using Probing.Probing.Protocols;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using Probing.Workbench.Reporting;
using Probing.Workbench.Reporting.Sections;
using static Probing.Tests.Reporting.StudyFixture;

namespace Probing.Tests.Reporting;

/// <summary>The collapse curve's figure and table, and the MDL columns of the generalization report, from hand-written study folders.</summary>
public class CurveAndMdlReportTests
{
    static readonly string[] CurveTasks = ["brown-genre", "wordnet-field"];
    const double T2 = 4.302652729911275;   // Student's t, 97.5 % quantile, 2 degrees of freedom

    static string Build(StudyFixture study)
    {
        var output = Directory.CreateTempSubdirectory("probing-report-").FullName;
        StudyReport.Build(study.Directory, output);
        return output;
    }

    static List<T> Table<T>(string output, string name) => CsvTable.Read<T>(Path.Combine(output, Report.TablesFolder, name + ".csv"));

    /// <summary>A generalization run (3 seeds, every stage learned) whose folder also holds <paramref name="curve"/> as its curve.csv.</summary>
    static StudyFixture WithCurve(IEnumerable<CurveRow> curve, params string[] methods)
    {
        var probes = new List<ProbeRow>();
        var stages = new List<StageRow>();
        foreach (var method in methods)
            foreach (var seed in new[] { 1, 2, 3 })
            {
                probes.Add(Probe("generalization", method, "checkpoint", 1, "fine-foods", seed, "brown-genre", 0.5));
                stages.Add(Stage("generalization", method, seed, 1, "fine-foods", 0.80));
            }
        var study = new StudyFixture().Protocol("generalization", "generalization", probes, stages);
        CsvTable.Write(Path.Combine(study.Directory, "generalization", ProtocolRun.CurveFile), curve);
        return study;
    }

    static CurveRow Point(string method, int seed, int step, string task, double dev) =>
        new("generalization", method, seed, "fine-foods", 1, step, task, 2, "mean", "linear", "accuracy", dev, 256, 500, 12, 0.5);

    /// <summary>
    /// wordnet-field scores v, brown-genre v + 0.02, so a seed's mean over the tasks is v + 0.01, with
    /// v = 0.60 + 0.01·seed − slope·step: standard falls 0.0005 a step, r3f 0.0002.
    /// </summary>
    static IEnumerable<CurveRow> Falling()
    {
        foreach (var (method, slope) in new[] { ("standard", 0.0005), ("r3f", 0.0002) })
            foreach (var seed in new[] { 1, 2, 3 })
                foreach (var step in new[] { 0, 100, 200 })
                {
                    var v = 0.60 + 0.01 * seed - slope * step;
                    yield return Point(method, seed, step, "wordnet-field", v);
                    yield return Point(method, seed, step, "brown-genre", v + 0.02);
                }
    }

    [Test]
    public void ACurveInTheRunsDrawsTheFigureAndWritesItsTable()
    {
        var output = Build(WithCurve(Falling(), "standard", "r3f"));

        var rows = Table<CurveSummaryRow>(output, "curve");
        Assert.That(rows.Select(r => (r.Series, r.Step)), Is.EquivalentTo(new[] { ("standard", 0), ("standard", 100), ("standard", 200), ("r3f", 0), ("r3f", 100), ("r3f", 200) }));
        Assert.That(rows.Select(r => (r.Tasks, r.N, r.Seeds, r.Layer, r.Stage, r.StageIndex)).Distinct(), Is.EqualTo(new[] { ("brown-genre wordnet-field", 3, "1 2 3", 2, "fine-foods", 1) }));
        // standard at step 200: seed means 0.52, 0.53, 0.54 → mean 0.53, sd 0.01, interval 0.53 ± t(2)·0.01/√3.
        var last = rows.Single(r => r.Series == "standard" && r.Step == 200);
        Assert.That((last.Mean, last.Sd!.Value, last.Min, last.Max), Is.EqualTo((0.53, 0.01, 0.52, 0.54)).Using<(double, double, double, double)>(Close));
        Assert.That(last.CiLow!.Value, Is.EqualTo(0.53 - T2 * 0.01 / Math.Sqrt(3)).Within(1e-9));
        var r3f = rows.Single(r => r.Series == "r3f" && r.Step == 100);
        Assert.That(r3f.Mean, Is.EqualTo(0.61).Within(1e-12));

        foreach (var file in new[] { "collapse-curve.png", "collapse-curve.svg" })
            Assert.That(File.Exists(Path.Combine(output, Report.FiguresFolder, file)), file);
        Assert.That(PngSize(Path.Combine(output, Report.FiguresFolder, "collapse-curve.png")), Is.EqualTo((1800, 1080)));
        var markdown = File.ReadAllText(Path.Combine(output, Report.ReportFile));
        Assert.That(markdown, Does.Contain("## Collapse curve").And.Contain("figures/collapse-curve.png"));
        Assert.That(markdown, Does.Contain("Dashed: the pretrained base"), "step 0 of the first stage is the base");
        // The table: standard from 63.0 ± 1.0 at step 0 to 53.0 ± 1.0 at step 200, its lowest point.
        Assert.That(markdown, Does.Contain("| standard | 63.0 ± 1.0 | 53.0 ± 1.0 | 53.0 ± 1.0 (step 200) | 0–200 |"));
        Assert.That(markdown, Does.Not.Contain("Triangles:"), "no interval reaches the end of the range");
        Assert.That(Table<ClaimRow>(output, "claims").Where(c => c.Section == CurveSection.Name), Is.Empty, "the curve makes no claim");
    }

    [Test]
    public void AnIntervalPastTheMetricsRangeIsCutAndSaidSo()
    {
        // Seeds at 0.90, 0.99, 1.00 for both tasks: the interval of the mean reaches past 100 %.
        var curve = new[] { (1, 0.90), (2, 0.99), (3, 1.00) }.SelectMany(s => new[] { 0, 50 }.SelectMany(step =>
            CurveTasks.Select(task => Point("standard", s.Item1, step, task, s.Item2))));
        var markdown = File.ReadAllText(Path.Combine(Build(WithCurve(curve, "standard")), Report.ReportFile));
        Assert.That(markdown, Does.Contain("Triangles: a 95 % interval cut at the end of the metric's range."));
    }

    [Test]
    public void AStudyWithoutACurveHasNoCurveSection()
    {
        var output = Build(WithCurve([], "standard"));
        Assert.That(File.ReadAllText(Path.Combine(output, Report.ReportFile)), Does.Not.Contain("Collapse curve"));
        Assert.That(File.Exists(Path.Combine(output, Report.TablesFolder, "curve.csv")), Is.False);
    }

    /// <summary>
    /// Base and standard probed on two tasks over 3 seeds with MDL and controls: compression 2.0 + 0.1·seed for the
    /// base, 1.5 + 0.1·seed for standard (brown-genre; wordnet-field 0.2 higher), control compression 1.1, selectivity 0.10.
    /// </summary>
    static StudyFixture WithMdl(bool mdl)
    {
        var probes = new List<ProbeRow>();
        var stages = new List<StageRow>();
        foreach (var seed in new[] { 1, 2, 3 })
        {
            foreach (var (task, shift) in new[] { ("brown-genre", 0.0), ("wordnet-field", 0.2) })
                foreach (var (method, role, stageIndex, compression) in new[] { ("base", "base", 0, 2.0), ("standard", "checkpoint", 1, 1.5) })
                {
                    var row = Probe("generalization", method, role, stageIndex, stageIndex == 0 ? "" : "fine-foods", seed, task, 0.6);
                    probes.Add(!mdl ? row : row with
                    {
                        Control = 0.5, Selectivity = 0.10,
                        Compression = compression + 0.1 * seed + shift, ControlCompression = 1.1, UniformBits = 205 * 3.0, OnlineBits = 205 * 3.0 / (compression + 0.1 * seed + shift),
                    });
                }
            stages.Add(Stage("generalization", "standard", seed, 1, "fine-foods", 0.80));
        }
        return new StudyFixture().Protocol("generalization", "generalization", probes, stages);
    }

    [Test]
    public void MdlRowsAppearBesideAccuracyWithTheirValues()
    {
        var output = Build(WithMdl(mdl: true));
        var summary = Table<SummaryRow>(output, GeneralizationSection.Name);

        var compression = summary.Where(r => r.Metric == "compression").ToList();
        Assert.That(compression.Select(r => (r.Series, r.Task)), Is.EquivalentTo(new[] { ("base", "brown-genre"), ("base", "wordnet-field"), ("standard", "brown-genre"), ("standard", "wordnet-field") }));
        var standard = compression.Single(r => r.Series == "standard" && r.Task == "wordnet-field");
        Assert.That((standard.Mean, standard.Sd!.Value, standard.N), Is.EqualTo((1.5 + 0.2 + 0.2, 0.1, 3)).Using<(double, double, int)>((a, b) => Math.Abs(a.Item1 - b.Item1) < 1e-9 && Math.Abs(a.Item2 - b.Item2) < 1e-9 && a.Item3 == b.Item3));
        Assert.That(summary.Single(r => r.Metric == "online_bits" && r.Series == "base" && r.Task == "brown-genre").Mean,
            Is.EqualTo((615 / 2.1 + 615 / 2.2 + 615 / 2.3) / 3).Within(1e-9));
        Assert.That(summary.Where(r => r.Metric == "control_compression").Select(r => r.Mean), Is.All.EqualTo(1.1).Within(1e-12));
        Assert.That(summary.Where(r => r.Metric == "selectivity").Select(r => r.Mean), Is.All.EqualTo(0.10).Within(1e-12));
        Assert.That(summary.Count(r => r.Metric == "accuracy"), Is.EqualTo(4), "the accuracy rows stay as they were");

        var markdown = File.ReadAllText(Path.Combine(output, Report.ReportFile));
        // Mean over tasks per seed: 2.2, 2.3, 2.4 (base) → 2.30 ± 0.10; standard 1.80 ± 0.10.
        Assert.That(markdown, Does.Contain("| base | 2.20 ± 0.10 | 2.40 ± 0.10 | 2.30 ± 0.10 |"));
        Assert.That(markdown, Does.Contain("| standard | 1.70 ± 0.10 | 1.90 ± 0.10 | 1.80 ± 0.10 |"));
        Assert.That(markdown, Does.Contain("higher = shorter code = more extractable"));
        Assert.That(markdown, Does.Contain("| standard | 10.0 ± 0.0 | 10.0 ± 0.0 | 10.0 ± 0.0 |"), "selectivity in points");
        Assert.That(Table<ClaimRow>(output, "claims").Select(c => c.Quantity), Is.All.EqualTo(GeneralizationSection.MeanOverTasks), "MDL makes no claim");
    }

    [Test]
    public void RunsWithoutMdlShowNoMdlRows()
    {
        var output = Build(WithMdl(mdl: false));
        Assert.That(Table<SummaryRow>(output, GeneralizationSection.Name).Select(r => r.Metric).Distinct(), Is.EqualTo(new[] { "accuracy" }));
        Assert.That(File.ReadAllText(Path.Combine(output, Report.ReportFile)), Does.Not.Contain("MDL").And.Not.Contain("Selectivity"));
    }

    static bool Close((double, double, double, double) a, (double, double, double, double) b) =>
        Math.Abs(a.Item1 - b.Item1) < 1e-9 && Math.Abs(a.Item2 - b.Item2) < 1e-9 && Math.Abs(a.Item3 - b.Item3) < 1e-9 && Math.Abs(a.Item4 - b.Item4) < 1e-9;

    /// <summary>Width and height from a PNG's IHDR chunk (big-endian at bytes 16 and 20).</summary>
    static (int, int) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int At(int i) => (bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3];
        return (At(16), At(20));
    }
}
