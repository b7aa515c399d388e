using NUnit.Framework;
using Probing.Training.Infrastructure;
using Probing.Training.Pretraining;
using Probing.Workbench;

namespace Probing.Tests.Workbench;

public class PretrainCommandTests
{
    [Test]
    public void UnknownConfigKeyIsAOneLineErrorNamingTheKey()
    {
        var (code, error) = CliRunner.Run("pretrain", "--preset", "tiny", "--set", "model.hiden_size=64", "--out", TempDirectory());
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode));
        Assert.That(error, Does.Contain("model.hiden_size"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void AFolderWithResultsButNoRunIsNeverOverwritten()
    {
        var folder = TempDirectory();
        File.WriteAllText(Path.Combine(folder, "DONE"), "earlier run");
        File.WriteAllText(Path.Combine(folder, "metrics.json"), "{\"keep\": true}");
        var (code, error) = CliRunner.Run("pretrain", "--preset", "tiny", "--out", folder);
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode));
        Assert.That(error, Does.Contain(folder).And.Contain("not a run folder"));
        Assert.That(File.ReadAllText(Path.Combine(folder, "metrics.json")), Is.EqualTo("{\"keep\": true}"));
    }

    [Test, Category("Slow")]
    public void AFinishedPretrainIsReadBackAndAnotherConfigRefused()
    {
        var folder = TempDirectory();
        string[] tiny = ["pretrain", "--preset", "tiny", "--set", "steps=2", "--set", "checkpoint_every=1", "--set", "eval_sequences=8", "--set", "held_out_fraction=0.0001", "--out", folder];
        Assert.That(CliRunner.Run(tiny).ExitCode, Is.Zero);
        var metrics = File.ReadAllText(Path.Combine(folder, "metrics.json"));
        Assert.That(CliRunner.Run(tiny), Is.EqualTo((0, "")), "a finished run is read back");
        Assert.That(File.ReadAllText(Path.Combine(folder, "metrics.json")), Is.EqualTo(metrics));

        File.Delete(Path.Combine(folder, "DONE"));
        var (code, error) = CliRunner.Run([.. tiny, "--set", "steps=3"]);
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode));
        Assert.That(error, Does.Contain("config.steps (2 → 3)").And.Contain("--force-new"));
    }

    [Test]
    public void MissingCorpusFileIsNamed()
    {
        var missing = Path.Combine(TempDirectory(), "corpus.txt");
        var error = Assert.Throws<InputError>(() => PretrainingCorpus.Load([missing], _ => false, 0.01));
        Assert.That(error!.Message, Does.StartWith(missing).And.Contain("not found"));
    }

    [Test]
    public void NonUtf8CorpusNamesFileAndLine()
    {
        var file = Path.Combine(TempDirectory(), "corpus.txt");
        File.WriteAllBytes(file, [.. "good line\nanother\n"u8, 0xC3, 0x28, (byte)'\n']);
        var error = Assert.Throws<InputError>(() => PretrainingCorpus.Load([file], _ => false, 0.01));
        Assert.That(error!.Message, Does.StartWith($"{file}:3:").And.Contain("UTF-8"));
    }

    [Test]
    public void ExcludedLinesNeverReachTrainingOrEvaluation()
    {
        var file = Path.Combine(TempDirectory(), "corpus.txt");
        File.WriteAllLines(file, Enumerable.Range(0, 400).Select(i => $"line number {i}"));
        var corpus = PretrainingCorpus.Load([file], line => line.EndsWith('7'), heldOutFraction: 0.1);
        Assert.That(corpus.ExcludedLines, Is.EqualTo(40));
        Assert.That(corpus.TrainLines.Concat(corpus.HeldOutLines), Has.None.EndsWith("7"));
        Assert.That(corpus.TrainLines.Intersect(corpus.HeldOutLines), Is.Empty);
        Assert.That(corpus.HeldOutLines.Count, Is.InRange(15, 60), "about 10 % of 360 lines");
    }

    static string TempDirectory() => Directory.CreateTempSubdirectory("probing-cli-").FullName;
}
