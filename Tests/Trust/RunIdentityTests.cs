using NUnit.Framework;
using Probing.Tests.Workbench;
using Probing.Training.Checkpoints;
using Probing.Workbench;
using Probing.Workbench.Commands;
using Probing.Workbench.Runs;
using static Probing.Tests.Trust.TrustWorld;

namespace Probing.Tests.Trust;

/// <summary>A run folder is reused only for exactly the run asked for: same config, same model bytes, same data bytes.</summary>
public class RunIdentityTests
{
    [Test]
    public void AFinishedRunIsNotReusedForAnotherModel()
    {
        var (glue, model, output) = (RteOnlyGlue(), BertCopy(), Path.Combine(Temp(), "run"));
        Assert.That(CliRunner.Run(FineTune(model, glue, output)).ExitCode, Is.Zero);
        var before = Snapshot(output);

        var other = BertCopy();
        TrustWorld.EditHeader(Path.Combine(other, EncoderCheckpoint.WeightsFile), header => header["__metadata__"] = new System.Text.Json.Nodes.JsonObject { ["note"] = "another model" });
        var (code, error) = CliRunner.Run(FineTune(other, glue, output));

        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode), error);
        AssertOneLine(error);
        Assert.That(error, Does.Contain("inputs.model.files.model.safetensors").And.Contain("--force-new").And.Contain("another --out"));
        Assert.That(Snapshot(output), Is.EqualTo(before), "the finished run is untouched");
    }

    [Test]
    public void AFinishedRunIsNotReusedForOtherDataOrAnotherConfig()
    {
        var (glue, model, output) = (RteOnlyGlue(), BertCopy(), Path.Combine(Temp(), "run"));
        Assert.That(CliRunner.Run(FineTune(model, glue, output)).ExitCode, Is.Zero);
        var before = Snapshot(output);

        var (code, error) = CliRunner.Run(FineTune(model, glue, output, "--set", "learning_rate=0.001"));
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode), error);
        Assert.That(error, Does.Contain("config.learning_rate (0.0001 → 0.001)"));

        File.AppendAllText(Path.Combine(glue, "RTE", "train.tsv"), "2\tA third premise.\tA third hypothesis.\tentailment\n");
        (code, error) = CliRunner.Run(FineTune(model, glue, output));
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode), error);
        Assert.That(error, Does.Contain("inputs.glue.files.RTE/train.tsv"));
        Assert.That(Snapshot(output), Is.EqualTo(before));
    }

    [Test]
    public void RerunningAFinishedRunReadsItBackAndForceNewMovesItAside()
    {
        var (glue, model, output) = (RteOnlyGlue(), BertCopy(), Path.Combine(Temp(), "run"));
        Assert.That(CliRunner.Run(FineTune(model, glue, output)).ExitCode, Is.Zero);
        var before = Snapshot(output);
        Assert.That(CliRunner.Run(FineTune(model, glue, output)), Is.EqualTo((0, "")));
        Assert.That(Snapshot(output), Is.EqualTo(before), "read back, not redone");

        var (code, error) = CliRunner.Run(FineTune(model, glue, output, "--set", "max_steps=2", "--force-new"));
        Assert.That(code, Is.Zero, error);
        Assert.That(FineTuneRun.ReadFinished(output).Steps, Is.EqualTo(2));
        var superseded = Directory.GetDirectories(Path.Combine(Path.GetDirectoryName(output)!, RunFolder.SupersededFolder)).Single();
        Assert.That(Snapshot(superseded), Is.EqualTo(before), "the old run is kept, whole, under .superseded/");
    }

    [Test]
    public void ConfigJsonRecordsTheModelAndDataFilesByContent()
    {
        var (glue, model, output) = (RteOnlyGlue(), BertCopy(), Path.Combine(Temp(), "run"));
        Assert.That(CliRunner.Run(FineTune(model, glue, output)).ExitCode, Is.Zero);
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(output, RunFolder.ConfigFile)))!;
        Assert.That(config["kind"]!.GetValue<string>(), Is.EqualTo("finetune"));
        Assert.That(config["config"]!["max_steps"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(config["inputs"]!["model"]!["path"]!.GetValue<string>(), Is.EqualTo(model));
        Assert.That(config["inputs"]!["model"]!["files"]!["model.safetensors"]!.GetValue<string>(),
            Is.EqualTo(Training.Infrastructure.FileDigest.Sha256(Path.Combine(model, EncoderCheckpoint.WeightsFile))), "the sha256sum of the weights");
        Assert.That(config["inputs"]!["model"]!["files"]!.AsObject().Select(f => f.Key), Is.EquivalentTo(new[] { "model.safetensors", "config.json", "vocab.txt" }));
        Assert.That(config["inputs"]!["glue"]!["files"]!.AsObject().Select(f => f.Key), Is.EquivalentTo(new[] { "RTE/train.tsv", "RTE/dev.tsv" }));
        Assert.That(config["inputs"]!["glue"]!["path"]!.GetValue<string>(), Is.EqualTo(glue));
    }

    [Test]
    public void AModelMovedElsewhereIsTheSameRunAndDifferencesNameTheirKeys()
    {
        var files = new Dictionary<string, string> { ["model.safetensors"] = new('a', 64) };
        var here = RunIdentity.Of("finetune", new { LearningRate = 1e-4, Seed = 1 }, new Dictionary<string, InputFiles> { ["model"] = new("/here", files) });
        var there = RunIdentity.Of("finetune", new { LearningRate = 1e-4, Seed = 1 }, new Dictionary<string, InputFiles> { ["model"] = new("/there", files) });
        Assert.That(there.SameRunAs(here), Is.True, "where an input lies is recorded, not compared");

        var other = RunIdentity.Of("finetune", new { LearningRate = 1e-3, Seed = 1 },
            new Dictionary<string, InputFiles> { ["model"] = new("/here", new Dictionary<string, string> { ["model.safetensors"] = new('b', 64) }) });
        Assert.That(other.SameRunAs(here), Is.False);
        Assert.That(other.DifferencesFrom(here), Is.EqualTo(new[]
        {
            "config.learning_rate (0.0001 → 0.001)",
            $"inputs.model.files.model.safetensors (\"{new string('a', 20)}… → \"{new string('b', 20)}…)",
        }));
    }

    [Test]
    public void TheIdentityReadBackFromConfigJsonIsTheSameRun()
    {
        var folder = Temp();
        var identity = RunIdentity.Of("pretrain", new Training.Pretraining.PretrainConfig(), new Dictionary<string, InputFiles>());
        File.WriteAllText(Path.Combine(folder, RunFolder.ConfigFile), identity.ToJson());
        Assert.That(RunIdentity.Read(folder)!.Hash, Is.EqualTo(identity.Hash));
        File.WriteAllText(Path.Combine(folder, RunFolder.ConfigFile), Training.Infrastructure.Json.Serialize(new Training.Pretraining.PretrainConfig()) + "\n");
        Assert.That(RunIdentity.Read(folder)!.SameRunAs(identity), Is.False, "a config.json without an identity (an older workbench) is another run");
    }
}
