using NUnit.Framework;
using Probing.Training.Infrastructure;
using Probing.Workbench;
using Probing.Workbench.Benchmarks;

namespace Probing.Tests.Workbench;

public class BenchMemoryCommandTests
{
    [Test]
    public void ClassificationAndSeq2SeqMethodsAreSampledEveryNSteps()
    {
        var output = Path.Combine(TempDirectory(), "memory.csv");
        var (code, error) = CliRunner.Run("bench", "memory", "--steps", "4", "--every", "2", "--warmup", "2", "--methods", "r3f", "seq2seq-r3f", "--out", output);
        Assert.That((code, error), Is.EqualTo((0, "")));
        var rows = CsvTable.Read<MemoryBenchRow>(output);
        Assert.That(rows.Select(r => (r.Method, r.Step)), Is.EqualTo(new[] { ("r3f", 0), ("r3f", 2), ("r3f", 4), ("seq2seq-r3f", 0), ("seq2seq-r3f", 2), ("seq2seq-r3f", 4) }));
        Assert.That(rows.Select(r => r.Model).Distinct().Count(), Is.EqualTo(2), "an encoder and an encoder–decoder");
        Assert.That(rows.Select(r => r.RssMegabytes), Has.All.GreaterThan(0));
    }

    [Test]
    public void AMethodWithoutASeq2SeqFormIsRefusedInOneLine()
    {
        var output = Path.Combine(TempDirectory(), "memory.csv");
        var (code, error) = CliRunner.Run("bench", "memory", "--steps", "4", "--methods", "seq2seq-r4f", "--out", output);
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode));
        Assert.That(error.Trim(), Does.Contain("'r4f' has no sequence-to-sequence form").And.Not.Contain("\n"));
        Assert.That(File.Exists(output), Is.False);
    }

    static string TempDirectory() => Directory.CreateTempSubdirectory("probing-bench-").FullName;
}
