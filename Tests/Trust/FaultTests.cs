using NUnit.Framework;
using Probing.Tests.Workbench;
using Probing.Training.Infrastructure;
using Probing.Workbench;
using static Probing.Tests.Trust.TrustWorld;

namespace Probing.Tests.Trust;

/// <summary>Every fault, file system ones included, is one line naming the path and the problem, with a non-zero exit code and no stack trace.</summary>
public class FaultTests
{
    [Test]
    public void AResultsPathUnderARegularFileIsOneLine()
    {
        var blocker = Path.Combine(Temp(), "results");
        File.WriteAllText(blocker, "a file where a folder should be");
        var output = Path.Combine(blocker, "finetune", "run");

        var (code, error) = CliRunner.Run(FineTune(BertCopy(), RteOnlyGlue(), output));

        Assert.That(code, Is.EqualTo(Cli.FileSystemExitCode), error);
        AssertOneLine(error);
        Assert.That(error, Does.StartWith($"error: {blocker}: is a file, but {output}"));
        Assert.That(File.ReadAllText(blocker), Is.EqualTo("a file where a folder should be"));
    }

    [Test]
    public void AnOutPathThatIsAFileIsRefused()
    {
        var file = Path.Combine(Temp(), "run");
        File.WriteAllText(file, "not a folder");
        var (code, error) = CliRunner.Run(FineTune(BertCopy(), RteOnlyGlue(), file));
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode), error);
        AssertOneLine(error);
        Assert.That(error, Does.Contain($"{file}: is a file"));
    }

    [TestCase("Access to the path '/data/results/run' is denied.", typeof(UnauthorizedAccessException), "/data/results/run: permission denied")]
    [TestCase("Read-only file system : '/mnt/ro/run/config.json.tmp-12'", typeof(IOException), "/mnt/ro/run/config.json: read-only file system")]
    [TestCase("No space left on device : '/mnt/full/run/checkpoints'", typeof(IOException), "/mnt/full/run/checkpoints: no space left on device")]
    [TestCase("Could not find a part of the path '/gone/x'.", typeof(DirectoryNotFoundException), "/gone/x: not found")]
    public void FileSystemErrorsNameThePathAndTheProblem(string message, Type type, string expected)
    {
        var exception = (Exception)Activator.CreateInstance(type, message)!;
        var (code, line) = Cli.Describe(new AggregateException(exception));
        Assert.That(code, Is.EqualTo(Cli.FileSystemExitCode));
        Assert.That(line, Does.StartWith(expected));
        Assert.That(line, Does.Not.Contain('\n'));
    }

    [Test]
    public void ABugIsOneLineToo()
    {
        var (code, line) = Cli.Describe(new InvalidOperationException("Sequence contains no elements\nsecond line"));
        Assert.That(code, Is.EqualTo(Cli.InternalErrorExitCode));
        Assert.That(line, Does.Contain("InvalidOperationException: Sequence contains no elements second line").And.Contain("--debug"));
        Assert.That(Cli.Describe(new InputError("x.json: bad")).ExitCode, Is.EqualTo(Cli.BadInputExitCode));
        Assert.That(Cli.Describe(new TrainingDiverged("loss")).ExitCode, Is.EqualTo(Cli.BadInputExitCode));
    }

    [Test]
    public void DebugShowsTheStackTrace()
    {
        var blocker = Path.Combine(Temp(), "results");
        File.WriteAllText(blocker, "");
        var (code, error) = CliRunner.Run([.. FineTune(BertCopy(), RteOnlyGlue(), Path.Combine(blocker, "run")), "--debug"]);
        Assert.That(code, Is.EqualTo(Cli.FileSystemExitCode));
        Assert.That(error, Does.Contain("   at "));
    }

    [Test]
    public void ADivergedRunClaimsNoCheckpointThatDoesNotExist()
    {
        Assert.That(TrainingDiverged.CheckpointNote(0, 200), Does.Contain("no checkpoint").And.Not.Contain("step 0"));
        Assert.That(TrainingDiverged.CheckpointNote(400, 200), Does.Contain("last good checkpoint (step 400)"));
    }
}
