using System.Text.Json.Nodes;
using NUnit.Framework;
using Probing.Tests.Workbench;
using Probing.Training.Checkpoints;
using Probing.Workbench;
using static Probing.Tests.Trust.TrustWorld;

namespace Probing.Tests.Trust;

/// <summary>Every input is checked before anything is written: a refused command leaves results byte-identical, and the corrected one then works.</summary>
public class CheckThenWriteTests
{
    static readonly Dictionary<string, Action<string>> BrokenModels = new()
    {
        ["shape mismatch"] = model => Rewrite(Path.Combine(model, EncoderCheckpoint.ConfigFile), "\"intermediate_size\": 64", "\"intermediate_size\": 48"),
        ["truncated weights"] = model =>
        {
            var path = Path.Combine(model, EncoderCheckpoint.WeightsFile);
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        },
        ["missing tensor"] = model => EditHeader(Path.Combine(model, EncoderCheckpoint.WeightsFile), header => header.Remove("bert.encoder.layer.1.output.dense.bias")),
        ["vocabulary larger than the embeddings"] = model => File.AppendAllText(Path.Combine(model, ModelFolder.VocabularyFile), "extra1\nextra2\n"),
        ["F8 tensor"] = model => EditHeader(Path.Combine(model, EncoderCheckpoint.WeightsFile), header =>
        {
            header["bert.pooler.dense.bias"]!["dtype"] = "F8_E5M2";
            header["bert.pooler.dense.bias"]!["shape"] = new JsonArray(128);
        }),
        ["corrupt header"] = model =>
        {
            var path = Path.Combine(model, EncoderCheckpoint.WeightsFile);
            var bytes = File.ReadAllBytes(path);
            bytes[8] = (byte)'[';
            File.WriteAllBytes(path, bytes);
        },
    };

    public static IEnumerable<string> Breakages => BrokenModels.Keys;

    [TestCaseSource(nameof(Breakages))]
    public void ABadModelFolderLeavesResultsUnchangedAndTheCorrectedCommandWorks(string breakage)
    {
        var (glue, results) = (RteOnlyGlue(), Temp("probing-results-"));
        Directory.CreateDirectory(Path.Combine(results, "earlier"));
        File.WriteAllText(Path.Combine(results, "earlier", "keep.txt"), "earlier results");
        var output = Path.Combine(results, "finetune", "run");
        var bad = BertCopy();
        BrokenModels[breakage](bad);
        var before = Snapshot(results);

        var (code, error) = CliRunner.Run(FineTune(bad, glue, output));

        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode), error);
        AssertOneLine(error);
        Assert.That(error, Does.Contain(bad), "names the file at fault");
        Assert.That(Snapshot(results), Is.EqualTo(before), "nothing was written");
        var (fixedCode, fixedError) = CliRunner.Run(FineTune(BertCopy(), glue, output));
        Assert.That(fixedCode, Is.Zero, fixedError);
    }

    [TestCase("--set", "max_steps=-1")]
    [TestCase("--set", "batch_size=3")]
    [TestCase("--method", "r5f")]
    [TestCase("--task", "sst2")]
    public void BadConfigOrTaskWritesNothing(string option, string value)
    {
        var (glue, results) = (RteOnlyGlue(), Temp("probing-results-"));
        var output = Path.Combine(results, "run");
        var args = FineTune(BertCopy(), glue, output).ToList();
        if (option == "--set") args.AddRange([option, value]);   // the last --set of a key wins
        else args[args.IndexOf(option) + 1] = value;

        var (code, error) = CliRunner.Run([.. args]);

        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode), error);
        AssertOneLine(error);
        Assert.That(Directory.EnumerateFileSystemEntries(results), Is.Empty, error);
    }

    [Test]
    public void AStudyWithABadNestedOptionStartsNothing()
    {
        var (glue, model, directory) = (RteOnlyGlue(), BertCopy(), Temp("probing-study-"));
        var spec = Path.Combine(directory, "spec.json");
        File.WriteAllText(spec, $$"""
        { "name": "nested", "runs": [ { "command": "finetune",
            "grid": { "method": ["standard", "r3f"], "seed": [1, 2] },
            "options": { "task": "rte", "data-dir": "{{glue}}", "model": "{{model}}" },
            "set": { "max_steps": 2, "batch_size": 2, "max_length": 24, "method.noise_type": "laplace" } } ] }
        """);
        var study = Path.Combine(directory, "study");

        var (code, error) = CliRunner.Run("run", spec, "--out", study);

        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode), error);
        AssertOneLine(error);
        Assert.That(error, Does.StartWith($"error: {spec}").And.Contain("finetune/method-standard_seed-1").And.Contain("method.noise_type"));
        Assert.That(Directory.Exists(study), Is.False, "no study folder, no lock, no run");
    }

    [Test]
    public void AnOutFolderThatHoldsSomethingElseIsRefusedUntouched()
    {
        var (glue, output) = (RteOnlyGlue(), Temp("probing-results-"));
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        var (code, error) = CliRunner.Run(FineTune(BertCopy(), glue, output, "--force-new"));
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode), error);
        Assert.That(error, Does.Contain("not a run folder"));
        Assert.That(Directory.GetFileSystemEntries(output).Select(Path.GetFileName), Is.EqualTo(new[] { "notes.txt" }));
    }

    static void Rewrite(string path, string from, string to)
    {
        var text = File.ReadAllText(path);
        Assert.That(text, Does.Contain(from));
        File.WriteAllText(path, text.Replace(from, to));
    }
}
