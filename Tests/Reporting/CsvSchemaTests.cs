using System.Reflection;
using CsvHelper;
using NUnit.Framework;
using Probing.Probing.Protocols;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using Probing.Workbench.Reporting;
using Probing.Workbench.Reporting.Sections;
using static Probing.Tests.Reporting.StudyFixture;

namespace Probing.Tests.Reporting;

/// <summary>Every CSV the workbench writes: documented in docs/reporting.md, snake_case, and read back by CsvHelper into its typed record.</summary>
public class CsvSchemaTests
{
    static readonly Assembly[] Product = [typeof(CsvTable).Assembly, typeof(ProbeRow).Assembly, typeof(Report).Assembly];

    static IEnumerable<Type> RecordTypes => Product.SelectMany(a => a.GetTypes()).Where(t => t.GetCustomAttribute<CsvRecordAttribute>() is not null).OrderBy(t => t.Name);

    static IReadOnlyList<string> HeaderOf(Type type) =>
        (IReadOnlyList<string>)typeof(CsvTable).GetMethod(nameof(CsvTable.HeaderOf))!.MakeGenericMethod(type).Invoke(null, null)!;

    static string Docs => File.ReadAllText(Path.Combine(Training.Infrastructure.ProjectPaths.DataDir, "..", "docs", "reporting.md"));

    [Test]
    public void EveryRecordTypeHasItsSnakeCaseHeaderInTheDocs()
    {
        var docs = Docs;
        var missing = RecordTypes.Select(t => (t.Name, Header: $"`{string.Join(",", HeaderOf(t))}`")).Where(x => !docs.Contains(x.Header)).ToList();
        Assert.That(missing, Is.Empty, "docs/reporting.md's CSV schemas lack: " + string.Join("; ", missing.Select(x => $"{x.Name} {x.Header}")));
        Assert.That(RecordTypes.SelectMany(HeaderOf), Has.All.Match("^[a-z0-9]+(_[a-z0-9]+)*$"));
    }

    [TestCase("StageIndex", "stage_index")]
    [TestCase("CiLow", "ci_low")]
    [TestCase("PHolm", "p_holm")]
    [TestCase("Cka", "cka")]
    [TestCase("MaskedAccuracy", "masked_accuracy")]
    [TestCase("HFModel", "hf_model")]
    public void NamesBecomeSnakeCase(string name, string expected) => Assert.That(CsvTable.SnakeCase(name), Is.EqualTo(expected));

    [Test]
    public void FilesWithTheEarlierPascalCaseHeaderStillRead()
    {
        var path = Path.Combine(Path.GetTempPath(), $"legacy-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "Protocol,Method,Seed,StageIndex,Stage,Metric,Dev,TrainSeconds,Steps\nchain,r4f,2,1,fine-foods,accuracy,0.75,12.5,50\n");
        Assert.That(CsvTable.Read<StageRow>(path), Is.EqualTo(new[] { new StageRow("chain", "r4f", 2, 1, "fine-foods", "accuracy", 0.75, 12.5, 50) }));
        File.Delete(path);
    }

    [Test]
    public void ReportRowsRoundTripWithEmptyCellsForUndefinedValues()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rows-{Guid.NewGuid():N}.csv");
        RunRow[] runs = [new("s", "chain/standard-seed1/stage-02-qnli-proxy", "chain", 2, "standard", 1, "qnli-proxy", "accuracy", 0.5, 0.5, 0.469, 0.531, false, 12.25, null, 50),
            new("s", "a,b", "finetune", 1, "r3f", 2, "sst2", "accuracy", 0.9, null, null, null, null, 1, 2, 3)];
        CsvTable.Write(path, runs);
        Assert.That(CsvTable.Read<RunRow>(path), Is.EqualTo(runs));
        ClaimRow[] claims = [new("id|x", "chain", "q", "linear", "mean", 2, "accuracy", "fine-foods", "r4f", "standard", "paired_t", "higher", "P", "R4F \"does\" it", "score",
            2, 0.024, 0, null, null, null, null, "insufficient data", "2 paired seeds", "1 2")];
        CsvTable.Write(path, claims);
        Assert.That(CsvTable.Read<ClaimRow>(path), Is.EqualTo(claims));
        var lines = File.ReadAllLines(path);
        Assert.That(lines[1], Does.Contain(",0.024,0,,,,,insufficient data,"), "undefined numbers are empty cells, never 0 or a string");
        File.Delete(path);
    }

    /// <summary>A report of a study with fine-tuning runs, a chain and a generalization probe: every table it writes loads into its type.</summary>
    [Test]
    public void EveryTableOfAReportLoadsIntoItsTypedRecord()
    {
        var study = new StudyFixture();
        foreach (var seed in new[] { 1, 2, 3 })
            study.FineTune("standard", seed, 0.78 + 0.01 * seed).FineTune("r3f", seed, 0.79 + 0.012 * seed);
        var probes = new List<ProbeRow>();
        foreach (var seed in new[] { 1, 2, 3 })
            foreach (var layer in new[] { 0, 1, 2 })
            {
                probes.Add(Probe("generalization", "base", "base", 0, "", seed, "brown-genre", 0.6 + 0.01 * seed, layer));
                probes.Add(Probe("generalization", "random", "random", 0, "", seed, "brown-genre", 0.35, layer));
                probes.Add(Probe("generalization", "standard", "checkpoint", 1, "fine-foods", seed, "brown-genre", 0.5 + 0.02 * seed * seed, layer));
            }
        study.Protocol("generalization", "generalization", probes, [.. new[] { 1, 2, 3 }.Select(s => Stage("generalization", "standard", s, 1, "fine-foods", 0.8))]);
        var output = Directory.CreateTempSubdirectory("probing-schema-").FullName;
        StudyReport.Build(study.Directory, output);

        var readers = new Dictionary<string, Func<string, int>>
        {
            ["runs.csv"] = p => Load<RunRow>(p),
            ["claims.csv"] = p => Load<ClaimRow>(p),
            ["feature-guard.csv"] = p => Load<FeatureGuardRow>(p),
            ["methods.csv"] = p => Load<SummaryRow>(p),
            ["generalization.csv"] = p => Load<SummaryRow>(p),
            ["learned-task.csv"] = p => Load<SummaryRow>(p),
        };
        var files = Directory.GetFiles(Path.Combine(output, Report.TablesFolder), "*.csv").Select(Path.GetFileName).Order().ToList();
        Assert.That(files, Is.EquivalentTo(readers.Keys), "every table a report writes has a typed record");
        foreach (var file in files) Assert.That(readers[file!](Path.Combine(output, Report.TablesFolder, file!)), Is.GreaterThan(0), file);
    }

    static int Load<T>(string path)
    {
        Assert.That(File.ReadLines(path).First(), Is.EqualTo(string.Join(",", CsvTable.HeaderOf<T>())), Path.GetFileName(path));
        return CsvTable.Read<T>(path).Count;
    }
}
