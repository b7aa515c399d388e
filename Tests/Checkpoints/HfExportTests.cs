using NUnit.Framework;
using Probing.Tests.Probes;
using Probing.Tests.Workbench;
using Probing.Training.Checkpoints;
using Probing.Workbench;

namespace Probing.Tests.Checkpoints;

public class HfExportTests
{
    [TestCase(HfFixture.Bert)]
    [TestCase(HfFixture.Roberta)]
    [TestCase("workbench")]
    public void ExportThenLoadGivesTheSameEncoderExactly(string name)
    {
        var source = name == "workbench" ? TinyProbingWorld.SaveModel(TempDirectory(), seed: 5).Path : HfFixture.Directory(name);
        var exported = Path.Combine(TempDirectory(), "hf");
        var (code, error) = CliRunner.Run("export", "--model", source, "--out", exported);
        Assert.That(code, Is.Zero, error);

        var original = ModelFolder.Resolve(source);
        var reloaded = ModelFolder.Resolve(exported);
        Assert.That(reloaded.ReadConfig(), Is.EqualTo(original.ReadConfig()));
        using var before = original.LoadEncoder();
        using var after = reloaded.LoadEncoder();
        var expected = before.state_dict();
        foreach (var (tensorName, value) in after.state_dict())
            Assert.That(TensorAssert.Identical(value, expected[tensorName]), Is.True, tensorName);
        Assert.That(reloaded.LoadTokenizer().Vocabulary, Is.EqualTo(original.LoadTokenizer().Vocabulary));
        Assert.That(File.ReadAllText(Path.Combine(exported, "config.json")), Does.Contain("\"architectures\"").And.Contain("\"model_type\""));
        Assert.That(StateDictFile.Read(Path.Combine(exported, "model.safetensors")).Keys, Does.Contain("encoder.layer.0.attention.self.query.weight"));
    }

    [Test]
    public void ExportRefusesANonEmptyFolder()
    {
        var target = TempDirectory();
        File.WriteAllText(Path.Combine(target, "keep.txt"), "x");
        var (code, error) = CliRunner.Run("export", "--model", HfFixture.Directory(HfFixture.Bert), "--out", target);
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode));
        Assert.That(error, Does.Contain("not empty"));
    }

    static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "probing-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

public class DeviceOptionTests
{
    [Test]
    public void CudaWithoutAGpuIsAOneLineError()
    {
        if (TorchSharp.torch.cuda.is_available()) Assert.Ignore("this machine has CUDA");
        var (code, error) = CliRunner.Run("--device", "cuda", "export", "--model", HfFixture.Directory(HfFixture.Bert), "--out", Path.Combine(Path.GetTempPath(), "probing-tests", Guid.NewGuid().ToString("N")));
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode));
        Assert.That(error, Does.Contain("--device cuda").And.Contain("CUDA is not available"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }
}
