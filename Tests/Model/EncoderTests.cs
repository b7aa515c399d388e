using NUnit.Framework;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Tests.Model;

public class EncoderTests
{
    static readonly EncoderConfig Tiny = new()
    {
        VocabSize = 50, HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 32, MaxPositionEmbeddings = 24,
    };

    static Encoder NewEncoder(int seed = 7)
    {
        var encoder = new Encoder(Tiny);
        Initialization.Apply(encoder, Tiny, seed);
        encoder.eval();
        return encoder;
    }

    static Tensor Ids(long[,] rows) => tensor(rows);

    [Test]
    public void ReturnsEveryLayerWithBatchFirstShapes()
    {
        using var encoder = NewEncoder();
        var ids = randint(1, 50, [3, 9], dtype: int64);
        var output = encoder.Forward(ids, zeros_like(ids), ones_like(ids));
        Assert.That(output.HiddenStates, Has.Count.EqualTo(Tiny.NumHiddenLayers + 1));
        foreach (var state in output.HiddenStates) Assert.That(state.shape, Is.EqualTo(new long[] { 3, 9, 16 }));
        Assert.That(Pooling.Cls.Pool(output.Last, output.AttentionMask).shape, Is.EqualTo(new long[] { 3, 16 }));
        Assert.That(Pooling.Mean.Pool(output.Last, output.AttentionMask).shape, Is.EqualTo(new long[] { 3, 16 }));
    }

    [Test]
    public void PaddingLeavesRealPositionsUnchanged()
    {
        using var encoder = NewEncoder();
        var shortIds = Ids(new long[,] { { 2, 11, 12, 13, 3 } });
        var paddedIds = Ids(new long[,] { { 2, 11, 12, 13, 3, 0, 0, 0 } });
        var paddedMask = Ids(new long[,] { { 1, 1, 1, 1, 1, 0, 0, 0 } });
        using var _ = no_grad();
        var alone = encoder.Forward(shortIds, zeros_like(shortIds), ones_like(shortIds));
        var padded = encoder.Forward(paddedIds, zeros_like(paddedIds), paddedMask);
        for (int layer = 0; layer < alone.HiddenStates.Count; layer++)
        {
            var difference = (padded.HiddenStates[layer].narrow(1, 0, 5) - alone.HiddenStates[layer]).abs().max().item<float>();
            Assert.That(difference, Is.LessThan(1e-5), $"layer {layer}");
        }
        var meanDifference = (Pooling.Mean.Pool(padded.Last, paddedMask) - Pooling.Mean.Pool(alone.Last, ones_like(shortIds))).abs().max().item<float>();
        Assert.That(meanDifference, Is.LessThan(1e-5));
    }

    [Test]
    public void WordEmbeddingPathEqualsIdsPath()
    {
        using var encoder = NewEncoder();
        var ids = randint(1, 50, [2, 7], dtype: int64);
        var types = Ids(new long[,] { { 0, 0, 0, 1, 1, 1, 1 }, { 0, 0, 0, 0, 1, 1, 1 } });
        using var _ = no_grad();
        var fromIds = encoder.Forward(ids, types, ones_like(ids)).Last;
        var words = encoder.Embeddings.LookUpWords(ids);
        var fromEmbeddings = encoder.ForwardFromWordEmbeddings(words, types, ones_like(ids)).Last;
        Assert.That(TensorAssert.Identical(fromIds, fromEmbeddings), Is.True);
    }

    [TestCase("bert")]
    [TestCase("roberta")]
    public void ClsPathGivesTheFullForwardsFirstPositionAndItsGradients(string modelType)
    {
        var config = Tiny with { ModelType = modelType, PadTokenId = 1 };
        using var encoder = new Encoder(config);
        Initialization.Apply(encoder, config, seed: 7);
        encoder.eval();
        var ids = Ids(new long[,] { { 2, 11, 12, 13, 3, 1, 1 }, { 2, 21, 22, 23, 24, 25, 3 } });
        var mask = Ids(new long[,] { { 1, 1, 1, 1, 1, 0, 0 }, { 1, 1, 1, 1, 1, 1, 1 } });
        var types = Ids(new long[,] { { 0, 0, 0, 1, 1, 1, 1 }, { 0, 0, 0, 0, 1, 1, 1 } });

        Tensor[] Gradients(Func<Tensor, Tensor> cls)
        {
            foreach (var p in encoder.parameters()) p.grad?.zero_();
            using var weights = linspace(-1, 1, Tiny.HiddenSize);
            (cls(encoder.Embeddings.LookUpWords(ids)) * weights).sum().backward();
            return [.. encoder.parameters().Select(p => p.grad!.clone())];
        }
        var full = encoder.ForwardFromWordEmbeddings(encoder.Embeddings.LookUpWords(ids), types, mask).Last.select(1, 0);
        var clsOnly = encoder.ClsFromWordEmbeddings(encoder.Embeddings.LookUpWords(ids), types, mask);
        Assert.That(clsOnly.shape, Is.EqualTo(new long[] { 2, Tiny.HiddenSize }));
        Assert.That(clsOnly.sub(full).abs().max().item<float>(), Is.LessThan(1e-5));

        var fullGradients = Gradients(words => encoder.ForwardFromWordEmbeddings(words, types, mask).Last.select(1, 0));
        var clsGradients = Gradients(words => encoder.ClsFromWordEmbeddings(words, types, mask));
        foreach (var (a, b) in fullGradients.Zip(clsGradients))
            Assert.That(a.sub(b).abs().max().item<float>(), Is.LessThan(1e-5));
        Assert.That(clsGradients.Sum(g => g.abs().sum().item<float>()), Is.GreaterThan(0));
    }

    [Test]
    public void ParameterNamesFollowHuggingFaceBert()
    {
        using var model = new MaskedLanguageModel(Tiny);
        var names = model.state_dict().Keys.ToHashSet();
        string[] expected =
        [
            "bert.embeddings.word_embeddings.weight", "bert.embeddings.position_embeddings.weight",
            "bert.embeddings.token_type_embeddings.weight", "bert.embeddings.LayerNorm.weight", "bert.embeddings.LayerNorm.bias",
            "bert.encoder.layer.1.attention.self.query.weight", "bert.encoder.layer.1.attention.self.key.bias",
            "bert.encoder.layer.1.attention.self.value.weight", "bert.encoder.layer.1.attention.output.dense.weight",
            "bert.encoder.layer.1.attention.output.LayerNorm.weight", "bert.encoder.layer.1.intermediate.dense.weight",
            "bert.encoder.layer.1.output.dense.bias", "bert.encoder.layer.1.output.LayerNorm.bias",
            "cls.predictions.transform.dense.weight", "cls.predictions.transform.LayerNorm.weight", "cls.predictions.bias",
        ];
        Assert.That(names, Is.SupersetOf(expected));
        // 5 embedding tensors + 16 per layer + 5 in the head; the decoder is tied, so it adds none.
        Assert.That(names, Has.Count.EqualTo(5 + 16 * Tiny.NumHiddenLayers + 5));
    }

    [Test]
    public void CheckpointRoundTripIsExact()
    {
        var directory = TempDirectory();
        using var model = new MaskedLanguageModel(Tiny);
        Initialization.Apply(model, Tiny, 3);
        EncoderCheckpoint.Save(directory, Tiny, model);
        using var loaded = EncoderCheckpoint.LoadMaskedLanguageModel(directory);
        Assert.That(EncoderCheckpoint.ReadConfig(directory), Is.EqualTo(Tiny));
        var original = model.state_dict();
        foreach (var (name, value) in loaded.state_dict())
            Assert.That(TensorAssert.Identical(value, original[name]), Is.True, name);
        using var encoder = EncoderCheckpoint.LoadEncoder(directory);
        Assert.That(TensorAssert.Identical(encoder.Embeddings.WordMatrix, model.Encoder.Embeddings.WordMatrix), Is.True);
    }

    [Test]
    public void CheckpointWhoseShapesDisagreeWithItsConfigIsRefused()
    {
        var directory = TempDirectory();
        using var model = new MaskedLanguageModel(Tiny);
        EncoderCheckpoint.Save(directory, Tiny, model);
        Json.Write(Path.Combine(directory, EncoderCheckpoint.ConfigFile), Tiny with { HiddenSize = 32, IntermediateSize = 64 });
        var error = Assert.Throws<InputError>(() => EncoderCheckpoint.LoadEncoder(directory));
        Assert.That(error!.Message, Does.Contain("model.safetensors").And.Contain("shape"));
    }

    [Test]
    public void TruncatedWeightsFileIsAClearError()
    {
        var directory = TempDirectory();
        using var model = new MaskedLanguageModel(Tiny);
        EncoderCheckpoint.Save(directory, Tiny, model);
        var weights = Path.Combine(directory, EncoderCheckpoint.WeightsFile);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<InputError>(() => EncoderCheckpoint.LoadEncoder(directory));
        Assert.That(error!.Message, Does.StartWith(weights));
    }

    [Test]
    public void ConfigWithUnknownKeyIsRefused()
    {
        var directory = TempDirectory();
        File.WriteAllText(Path.Combine(directory, EncoderCheckpoint.ConfigFile), "{\"hidden_size\": 16, \"hiden_layers\": 2}");
        var error = Assert.Throws<InputError>(() => EncoderCheckpoint.ReadConfig(directory));
        Assert.That(error!.Message, Does.Contain("hiden_layers"));
    }

    static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "probing-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

public class FolderChecksumTests
{
    [Test]
    public void FlippedByteInAChecksummedModelIsRefused()
    {
        var directory = Directory.CreateTempSubdirectory("probing-checksum-").FullName;
        var config = new EncoderConfig { VocabSize = 8, HiddenSize = 8, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 16, MaxPositionEmbeddings = 8 };
        using (var model = new Encoder(config)) EncoderCheckpoint.Save(directory, config, model);
        File.WriteAllLines(Path.Combine(directory, ModelFolder.VocabularyFile), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c"]);
        FolderChecksums.Write(directory, [EncoderCheckpoint.WeightsFile, EncoderCheckpoint.ConfigFile, ModelFolder.VocabularyFile]);
        Assert.That(ModelFolder.Resolve(directory).Path, Is.EqualTo(directory), "an intact folder loads");

        var weights = Path.Combine(directory, EncoderCheckpoint.WeightsFile);
        var bytes = File.ReadAllBytes(weights);
        bytes[^3] ^= 0x01;
        File.WriteAllBytes(weights, bytes);
        var error = Assert.Throws<InputError>(() => ModelFolder.Resolve(directory));
        Assert.That(error!.Message, Does.StartWith(weights).And.Contain("SHA-256"));
    }
}
