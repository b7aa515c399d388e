using System.Globalization;
using System.Text.Json;
using NUnit.Framework;
using Probing.Tests.Workbench;
using Probing.Workbench;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;
using static TorchSharp.torch;

namespace Probing.Tests.Checkpoints;

/// <summary>
/// A recorded BART forward pass from <c>Fixtures/make_bart_fixture.py</c> (an independent PyTorch BART):
/// a padded batch of sources and decoder inputs, every encoder and decoder layer's states, and the logits.
/// </summary>
sealed class BartFixture
{
    public const string Name = "hf-bart";

    public required IReadOnlyList<(string Source, string Target, int[] SourceIds, int[] TargetIds)> Pairs { get; init; }
    public required long[][] InputIds { get; init; }
    public required long[][] AttentionMask { get; init; }
    public required long[][] DecoderInputIds { get; init; }
    public required float[][][][] EncoderStates { get; init; }
    public required float[][][][] DecoderStates { get; init; }
    public required float[][][] Logits { get; init; }
    public required float[][][] LogitsWithScaleEmbedding { get; init; }

    public static string Directory => HfFixture.Directory(Name);

    public static BartFixture Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(HfFixture.Directory(Name + ".reference.json")));
        var root = document.RootElement;
        long[][] Matrix(string key) => [.. root.GetProperty(key).EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt64()).ToArray())];
        float[][][] Cube(JsonElement e) => [.. e.EnumerateArray().Select(seq => seq.EnumerateArray().Select(pos => pos.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray())];
        int[] Ids(JsonElement e, string key) => [.. e.GetProperty(key).EnumerateArray().Select(v => v.GetInt32())];
        return new BartFixture
        {
            Pairs = [.. root.GetProperty("pairs").EnumerateArray().Select(p => (p.GetProperty("source").GetString()!, p.GetProperty("target").GetString()!, Ids(p, "source_ids"), Ids(p, "target_ids")))],
            InputIds = Matrix("input_ids"),
            AttentionMask = Matrix("attention_mask"),
            DecoderInputIds = Matrix("decoder_input_ids"),
            EncoderStates = [.. root.GetProperty("encoder_hidden_states").EnumerateArray().Select(Cube)],
            DecoderStates = [.. root.GetProperty("decoder_hidden_states").EnumerateArray().Select(Cube)],
            Logits = Cube(root.GetProperty("logits")),
            LogitsWithScaleEmbedding = Cube(root.GetProperty("logits_with_scale_embedding")),
        };
    }

    public static Tensor Batch(long[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    public static double MaxDifference(Tensor actual, float[][][] expected) =>
        (actual - tensor(expected.SelectMany(s => s.SelectMany(p => p)).ToArray(), actual.shape)).abs().max().item<float>();
}

/// <summary>A Hugging Face BART folder loads into <see cref="Seq2SeqModel"/> and matches the independent reference layer by layer.</summary>
public class HfBartTests
{
    static void Log(string label, IEnumerable<double> differences) =>
        TestContext.Out.WriteLine($"{label}: max |difference| = {string.Join(", ", differences.Select(d => d.ToString("E2", CultureInfo.InvariantCulture)))}");

    [Test]
    public void EveryEncoderAndDecoderLayerAndTheLogitsMatchThePyTorchReference()
    {
        var reference = BartFixture.Load();
        var folder = ModelFolder.Resolve(BartFixture.Directory);
        Assert.That(folder.IsSeq2Seq, Is.True);
        using var model = folder.LoadSeq2Seq();
        using var _ = no_grad();
        var memory = model.Encode(BartFixture.Batch(reference.InputIds), BartFixture.Batch(reference.AttentionMask));
        var decoded = model.Decoder.Forward(BartFixture.Batch(reference.DecoderInputIds), memory);
        var encoderDifferences = memory.HiddenStates.Select((state, l) => BartFixture.MaxDifference(state, reference.EncoderStates[l])).ToList();
        var decoderDifferences = decoded.HiddenStates.Select((state, l) => BartFixture.MaxDifference(state, reference.DecoderStates[l])).ToList();
        var logitsDifference = BartFixture.MaxDifference(model.Project(decoded.Last), reference.Logits);
        Log("encoder layers (embeddings first)", encoderDifferences);
        Log("decoder layers (embeddings first)", decoderDifferences);
        Log("logits", [logitsDifference]);
        Assert.That(encoderDifferences, Has.Count.EqualTo(model.Config.EncoderLayers + 1).And.All.LessThanOrEqualTo(HfFixture.Tolerance));
        Assert.That(decoderDifferences, Has.Count.EqualTo(model.Config.DecoderLayers + 1).And.All.LessThanOrEqualTo(HfFixture.Tolerance));
        Assert.That(logitsDifference, Is.LessThanOrEqualTo(HfFixture.Tolerance));
    }

    [Test]
    public void ScaledEmbeddingsMatchTheReferenceToo()
    {
        var reference = BartFixture.Load();
        using var loaded = ModelFolder.Resolve(BartFixture.Directory).LoadSeq2Seq();
        using var scaled = new Seq2SeqModel(loaded.Config with { ScaleEmbedding = true });
        ModuleState.Load(scaled, loaded.state_dict(), "fixture");
        scaled.eval();
        using var _ = no_grad();
        var memory = scaled.Encode(BartFixture.Batch(reference.InputIds), BartFixture.Batch(reference.AttentionMask));
        var logits = scaled.DecoderLogits(BartFixture.Batch(reference.DecoderInputIds), memory);
        Assert.That(BartFixture.MaxDifference(logits, reference.LogitsWithScaleEmbedding), Is.LessThanOrEqualTo(HfFixture.Tolerance));
    }

    [Test]
    public void TheEncoderAloneLoadsFromABartFolder()
    {
        var reference = BartFixture.Load();
        using var encoder = ModelFolder.Resolve(BartFixture.Directory).LoadEncoder();
        encoder.eval();
        using var _ = no_grad();
        var ids = BartFixture.Batch(reference.InputIds);
        var output = encoder.Forward(ids, zeros_like(ids), BartFixture.Batch(reference.AttentionMask));
        Assert.That(encoder.state_dict().Keys, Does.Contain("embed_tokens.weight").And.Contain("layers.2.self_attn.q_proj.weight"));
        Assert.That(output.HiddenStates.Select((state, l) => BartFixture.MaxDifference(state, reference.EncoderStates[l])), Has.All.LessThanOrEqualTo(HfFixture.Tolerance));
    }

    [Test]
    public void TokenizerGivesTheReferenceIdsAndDecodesThemBack()
    {
        var reference = BartFixture.Load();
        var tokenizer = ModelFolder.Resolve(BartFixture.Directory).LoadTokenizer();
        Assert.That(tokenizer, Is.InstanceOf<ByteLevelBpeTextTokenizer>());
        foreach (var (source, target, sourceIds, targetIds) in reference.Pairs)
        {
            Assert.That(tokenizer.Encode(source, maxLength: 512).Ids, Is.EqualTo(sourceIds), source);
            Assert.That(tokenizer.Encode(target, maxLength: 512).Ids, Is.EqualTo(targetIds), target);
            Assert.That(tokenizer.Decode(sourceIds), Is.EqualTo(source), "byte-level decoding inverts tokenization exactly, emoji and tabs included");
            Assert.That(tokenizer.Decode(targetIds), Is.EqualTo(target));
        }
    }

    [Test]
    public void ConfigReadsBartsKeys()
    {
        var config = ModelFolder.Resolve(BartFixture.Directory).ReadSeq2SeqConfig();
        Assert.That(config, Is.EqualTo(new Seq2SeqConfig
        {
            VocabSize = config.VocabSize, DModel = 32, EncoderLayers = 3, DecoderLayers = 2, EncoderAttentionHeads = 2, DecoderAttentionHeads = 4,
            EncoderFfnDim = 64, DecoderFfnDim = 48, MaxPositionEmbeddings = 40, Dropout = 0.1, AttentionDropout = 0.1, ActivationDropout = 0.1,
            PadTokenId = 1, BosTokenId = 0, EosTokenId = 2, DecoderStartTokenId = 2,
        }));
        Assert.That(config.EncoderStack.LayerNormEps, Is.EqualTo(1e-5), "BART's LayerNorm epsilon is PyTorch's default");
    }

    [Test]
    public void ExportThenLoadGivesTheSameModelExactly()
    {
        var exported = Path.Combine(Path.GetTempPath(), "probing-tests", Guid.NewGuid().ToString("N"), "hf");
        var (code, error) = CliRunner.Run("export", "--model", BartFixture.Directory, "--out", exported);
        Assert.That(code, Is.Zero, error);
        var original = ModelFolder.Resolve(BartFixture.Directory);
        var reloaded = ModelFolder.Resolve(exported);
        Assert.That(reloaded.ReadSeq2SeqConfig(), Is.EqualTo(original.ReadSeq2SeqConfig()));
        using var before = original.LoadSeq2Seq();
        using var after = reloaded.LoadSeq2Seq();
        var expected = before.state_dict();
        var actual = after.state_dict();
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var (name, value) in actual)
            Assert.That(TensorAssert.Identical(value, expected[name]), Is.True, name);
        var fileNames = StateDictFile.Read(Path.Combine(exported, EncoderCheckpoint.WeightsFile)).Keys;
        Assert.That(fileNames, Does.Contain("model.shared.weight").And.Contain("final_logits_bias").And.Contain("model.decoder.layers.1.encoder_attn.v_proj.bias"));
        Assert.That(fileNames, Has.None.Contain("embed_tokens"), "tied copies are not written, as transformers saves them");
        var config = File.ReadAllText(Path.Combine(exported, EncoderCheckpoint.ConfigFile));
        Assert.That(config, Does.Contain("\"BartForConditionalGeneration\"").And.Contain("\"d_model\": 32"));
        Assert.That(reloaded.LoadTokenizer().Vocabulary, Is.EqualTo(original.LoadTokenizer().Vocabulary));
    }

    [Test]
    public void AWorkbenchSeq2SeqFolderRoundTripsThroughSaveAndLoad()
    {
        var directory = Path.Combine(Path.GetTempPath(), "probing-tests", Guid.NewGuid().ToString("N"));
        using var model = Model.Seq2SeqModelTests.NewModel(seed: 11);
        using (no_grad()) model.FinalLogitsBias.normal_();
        Seq2SeqCheckpoint.Save(directory, model);
        using var loaded = Seq2SeqCheckpoint.Load(directory);
        Assert.That(loaded.Config, Is.EqualTo(model.Config));
        foreach (var (name, value) in loaded.state_dict())
            Assert.That(TensorAssert.Identical(value, model.state_dict()[name]), Is.True, name);
    }
}

/// <summary>Every way a BART folder can be wrong gives one line naming the file at fault.</summary>
public class HfBartRefusalTests
{
    static string Folder() => HfCheckpointRefusalTests.CopyOf(BartFixture.Name);

    static void AssertLoadFails(string folder, string file, string expected)
    {
        var error = Assert.Throws<InputError>(() => ModelFolder.Resolve(folder).LoadSeq2Seq());
        Assert.That(error!.Message, Does.StartWith(Path.Combine(folder, file)).And.Contain(expected));
        Assert.That(error.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void MissingDecoderTensorIsNamed()
    {
        var folder = Folder();
        HfCheckpointRefusalTests.EditTensors(folder, tensors => tensors.Remove("model.decoder.layers.1.encoder_attn.k_proj.weight"));
        AssertLoadFails(folder, EncoderCheckpoint.WeightsFile, "missing tensor model.decoder.layers.1.encoder_attn.k_proj.weight");
    }

    [Test]
    public void ExtraLayerIsNamed()
    {
        var folder = Folder();
        HfCheckpointRefusalTests.EditTensors(folder, tensors => tensors["model.decoder.layers.2.fc1.bias"] = zeros(48));
        AssertLoadFails(folder, EncoderCheckpoint.WeightsFile, "unexpected tensor model.decoder.layers.2.fc1.bias");
    }

    [Test]
    public void ShapeThatDisagreesWithConfigIsNamed()
    {
        var folder = Folder();
        HfCheckpointRefusalTests.Rewrite(HfCheckpointRefusalTests.Config(folder), text => text.Replace("\"decoder_ffn_dim\": 48", "\"decoder_ffn_dim\": 40"));
        AssertLoadFails(folder, EncoderCheckpoint.WeightsFile, "has shape [48, 32] but config.json implies [40, 32]");
    }

    [Test]
    public void TiedCopyOfAnotherShapeIsRefused()
    {
        var folder = Folder();
        HfCheckpointRefusalTests.EditTensors(folder, tensors => tensors["lm_head.weight"] = zeros(7, 32));
        AssertLoadFails(folder, EncoderCheckpoint.WeightsFile, "tensor lm_head.weight has shape [7, 32] but the shared embedding it is tied to has");
    }

    [Test]
    public void ATiedCopyStandsInForAMissingSharedEmbedding()
    {
        var folder = Folder();
        HfCheckpointRefusalTests.EditTensors(folder, tensors => tensors.Remove("model.shared.weight"));
        using var model = ModelFolder.Resolve(folder).LoadSeq2Seq();
        using var original = ModelFolder.Resolve(BartFixture.Directory).LoadSeq2Seq();
        Assert.That(TensorAssert.Identical(model.WordMatrix, original.WordMatrix), Is.True);
    }

    [Test]
    public void PreLayerNormVariantIsRefused()
    {
        var folder = Folder();
        HfCheckpointRefusalTests.Rewrite(HfCheckpointRefusalTests.Config(folder), text => text.Replace("\"normalize_before\": false", "\"normalize_before\": true"));
        var error = Assert.Throws<InputError>(() => ModelFolder.Resolve(folder));
        Assert.That(error!.Message, Does.StartWith(HfCheckpointRefusalTests.Config(folder)).And.Contain("normalize_before"));
    }

    [Test]
    public void MissingShapeKeyIsNamed()
    {
        var folder = Folder();
        HfCheckpointRefusalTests.Rewrite(HfCheckpointRefusalTests.Config(folder), text => text.Replace("\"decoder_layers\": 2,", ""));
        var error = Assert.Throws<InputError>(() => ModelFolder.Resolve(folder));
        Assert.That(error!.Message, Does.StartWith(HfCheckpointRefusalTests.Config(folder)).And.Contain("decoder_layers: missing"));
    }

    [Test]
    public void ClassificationFineTuningRefusesABartFolder()
    {
        var (code, error) = CliRunner.Run("finetune", "--task", "fine-foods", "--model", BartFixture.Directory, "--out", Path.Combine(Path.GetTempPath(), "probing-tests", Guid.NewGuid().ToString("N")));
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode));
        Assert.That(error, Does.Contain("sequence-to-sequence model"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void AnEncoderFolderIsNotASeq2SeqModel()
    {
        var error = Assert.Throws<InputError>(() => ModelFolder.Resolve(HfFixture.Directory(HfFixture.Bert)).LoadSeq2Seq());
        Assert.That(error!.Message, Does.Contain("model_type 'bert' is an encoder"));
    }
}
