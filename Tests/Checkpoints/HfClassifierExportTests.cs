using System.Buffers.Binary;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Probing.Tests.FineTuning;
using Probing.Tests.Workbench;
using Probing.Training.Checkpoints;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using static TorchSharp.torch;

namespace Probing.Tests.Checkpoints;

/// <summary>
/// A fine-tuning run exported as Bert/RobertaForSequenceClassification: config, tokenizer files, the
/// safetensors format marker, and the head under Hugging Face's names, recomputed here by hand from the
/// exported tensors (R4F's spectrally normalised projection folded into a plain weight) to give the
/// workbench's own logits.
/// </summary>
public class HfClassifierExportTests
{
    [TestCase("bert", "r4f")]
    [TestCase("roberta", "r4f")]
    [TestCase("bert", "standard")]
    public void ExportedRunReproducesTheWorkbenchLogits(string modelType, string method)
    {
        var model = modelType == "roberta" ? ModelFolder.Resolve(HfFixture.Directory(HfFixture.Roberta)) : TinySetup.Model;
        var run = TinySetup.TempDirectory();
        var task = TinySetup.KeywordTask(train: 64, dev: 16);
        FineTuner.Run(TinySetup.Quick(method, steps: 3), task, model, run, SilentProgress.Instance).Encoder.Dispose();
        File.WriteAllText(Path.Combine(run, "config.json"), """{ "kind": "finetune" }""");   // as a run folder holds its identity
        var exported = Path.Combine(TinySetup.TempDirectory(), "hf");
        var (code, error) = CliRunner.Run("export", "--model", run, "--out", exported);
        Assert.That(code, Is.Zero, error);

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(exported, "config.json")))!;
        var architecture = modelType == "roberta" ? "RobertaForSequenceClassification" : "BertForSequenceClassification";
        Assert.That(config["architectures"]![0]!.GetValue<string>(), Is.EqualTo(architecture));
        Assert.That(config["id2label"]!["0"]!.GetValue<string>(), Is.EqualTo("absent"));
        Assert.That(config["id2label"]!["1"]!.GetValue<string>(), Is.EqualTo("present"));
        Assert.That(config["label2id"]!["present"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(config["num_labels"]!.GetValue<int>(), Is.EqualTo(2));

        using var scope = NewDisposeScope();
        var tensors = StateDictFile.Read(Path.Combine(exported, "model.safetensors"));
        var prefix = modelType + ".";
        Assert.That(tensors.Keys.Where(k => !k.StartsWith("classifier.", StringComparison.Ordinal)), Is.All.StartsWith(prefix));
        var (denseW, denseB, outW, outB) = modelType == "roberta"
            ? (tensors["classifier.dense.weight"], tensors["classifier.dense.bias"], tensors["classifier.out_proj.weight"], tensors["classifier.out_proj.bias"])
            : (tensors["bert.pooler.dense.weight"], tensors["bert.pooler.dense.bias"], tensors["classifier.weight"], tensors["classifier.bias"]);
        var trained = StateDictFile.Read(Path.Combine(run, FineTuner.BestFolder, EncoderCheckpoint.WeightsFile));
        if (method == "r4f")
            Assert.That(allclose(outW, trained["classifier.out_proj.weight_orig"], rtol: 1e-3), Is.False, "the exported weight is W/σ, not W");

        // The workbench's logits, and the same examples through the exported encoder and a hand-written head.
        using var original = FineTunedModel.Load(Path.Combine(run, FineTuner.BestFolder), task.Spec);
        var examples = new EncodedExamples(task.Dev, task.Spec, ModelFolder.Resolve(exported).LoadTokenizer(), 16);
        var expected = Evaluator.Logits(original, examples, 16);
        using var encoder = ModelFolder.Resolve(exported).LoadEncoder();
        encoder.eval();
        var batch = examples.Batch([.. Enumerable.Range(0, task.Dev.Count)]);
        Tensor actual;
        using (no_grad())
        {
            var cls = encoder.Forward(batch.Ids, batch.TypeIds, batch.AttentionMask).Last[.., 0];
            actual = cls.matmul(denseW.t()).add(denseB).tanh().matmul(outW.t()).add(outB);
        }
        Assert.That(actual.shape, Is.EqualTo(new long[] { task.Dev.Count, 2 }));
        Assert.That(allclose(actual, expected, rtol: 1e-5, atol: 1e-6), Is.True, $"largest difference {(actual - expected).abs().max().item<float>()}");
    }

    [Test]
    public void ExportCarriesTheFormatMarkerAndTokenizerFiles()
    {
        var exported = Path.Combine(TinySetup.TempDirectory(), "hf");
        Assert.That(CliRunner.Run("export", "--model", HfFixture.Directory(HfFixture.Bert), "--out", exported).ExitCode, Is.Zero);
        var bytes = File.ReadAllBytes(Path.Combine(exported, "model.safetensors"));
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.That(length % 8, Is.Zero);
        var header = JsonNode.Parse(System.Text.Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        Assert.That(header.First().Key, Is.EqualTo("__metadata__"));
        Assert.That(header["__metadata__"]!["format"]!.GetValue<string>(), Is.EqualTo("pt"));

        var maxPositions = JsonNode.Parse(File.ReadAllText(Path.Combine(exported, "config.json")))!["max_position_embeddings"]!.GetValue<int>();
        var tokenizer = JsonNode.Parse(File.ReadAllText(Path.Combine(exported, HfExport.TokenizerConfigFile)))!;
        Assert.That(tokenizer["tokenizer_class"]!.GetValue<string>(), Is.EqualTo("BertTokenizer"));
        Assert.That(tokenizer["do_lower_case"]!.GetValue<bool>(), Is.True);
        Assert.That(tokenizer["model_max_length"]!.GetValue<int>(), Is.EqualTo(maxPositions));
        var special = JsonNode.Parse(File.ReadAllText(Path.Combine(exported, HfExport.SpecialTokensFile)))!;
        Assert.That(special["cls_token"]!.GetValue<string>(), Is.EqualTo("[CLS]"));
        Assert.That(special["mask_token"]!.GetValue<string>(), Is.EqualTo("[MASK]"));

        var roberta = Path.Combine(TinySetup.TempDirectory(), "hf");
        Assert.That(CliRunner.Run("export", "--model", HfFixture.Directory(HfFixture.Roberta), "--out", roberta).ExitCode, Is.Zero);
        var robertaConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(roberta, "config.json")))!;
        var robertaTokenizer = JsonNode.Parse(File.ReadAllText(Path.Combine(roberta, HfExport.TokenizerConfigFile)))!;
        Assert.That(robertaTokenizer["tokenizer_class"]!.GetValue<string>(), Is.EqualTo("RobertaTokenizer"));
        Assert.That(robertaTokenizer["model_max_length"]!.GetValue<int>(),
            Is.EqualTo(robertaConfig["max_position_embeddings"]!.GetValue<int>() - robertaConfig["pad_token_id"]!.GetValue<int>() - 1));
        Assert.That(JsonNode.Parse(File.ReadAllText(Path.Combine(roberta, HfExport.SpecialTokensFile)))!["cls_token"]!.GetValue<string>(), Is.EqualTo("<s>"));
    }

    [Test]
    public void EncoderOnlyExportOfARunIsABareEncoder()
    {
        var run = TinySetup.TempDirectory();
        FineTuner.Run(TinySetup.Quick("standard", steps: 1), TinySetup.KeywordTask(train: 32, dev: 8), TinySetup.Model, run, SilentProgress.Instance).Encoder.Dispose();
        var exported = Path.Combine(TinySetup.TempDirectory(), "hf");
        var (code, error) = CliRunner.Run("export", "--model", run, "--encoder-only", "--out", exported);
        Assert.That(code, Is.Zero, error);
        Assert.That(File.ReadAllText(Path.Combine(exported, "config.json")), Does.Contain("\"BertModel\"").And.Not.Contain("id2label"));
        Assert.That(StateDictFile.Read(Path.Combine(exported, "model.safetensors")).Keys, Has.None.StartsWith("classifier"));
    }
}
