using NUnit.Framework;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Tests.Model;

public class Seq2SeqModelTests
{
    internal static readonly Seq2SeqConfig Tiny = new()
    {
        VocabSize = 40, DModel = 16, EncoderLayers = 2, DecoderLayers = 2, EncoderAttentionHeads = 4, DecoderAttentionHeads = 2,
        EncoderFfnDim = 32, DecoderFfnDim = 24, MaxPositionEmbeddings = 20, PadTokenId = 1, BosTokenId = 0, EosTokenId = 2, DecoderStartTokenId = 2,
    };

    internal static Seq2SeqModel NewModel(int seed = 7, Seq2SeqConfig? config = null)
    {
        var model = new Seq2SeqModel(config ?? Tiny);
        Initialization.Apply(model, seed);
        model.eval();
        return model;
    }

    static Seq2SeqBatch Batch(int[][] sources, int[][] labels) => Seq2SeqBatch.FromIds(sources, labels, Tiny.PadTokenId, Tiny.DecoderStartTokenId);

    [Test]
    public void ParameterNamesFollowHuggingFaceBart()
    {
        using var model = NewModel();
        var names = model.state_dict().Keys.ToHashSet();
        string[] expected =
        [
            "model.shared.weight", "final_logits_bias",
            "model.encoder.embed_positions.weight", "model.encoder.layernorm_embedding.weight", "model.encoder.layernorm_embedding.bias",
            "model.encoder.layers.1.self_attn.q_proj.weight", "model.encoder.layers.1.self_attn.k_proj.bias", "model.encoder.layers.1.self_attn.v_proj.weight",
            "model.encoder.layers.1.self_attn.out_proj.weight", "model.encoder.layers.1.self_attn_layer_norm.weight",
            "model.encoder.layers.1.fc1.weight", "model.encoder.layers.1.fc2.bias", "model.encoder.layers.1.final_layer_norm.bias",
            "model.decoder.embed_positions.weight", "model.decoder.layernorm_embedding.bias",
            "model.decoder.layers.0.self_attn.q_proj.weight", "model.decoder.layers.0.encoder_attn.k_proj.weight",
            "model.decoder.layers.0.encoder_attn.out_proj.bias", "model.decoder.layers.0.encoder_attn_layer_norm.weight",
            "model.decoder.layers.1.fc1.weight", "model.decoder.layers.1.final_layer_norm.weight",
        ];
        Assert.That(names, Is.SupersetOf(expected));
        // shared + bias, then per stack: positions + 2 LayerNorm tensors, 16 per encoder layer and 26 per decoder layer (cross-attention adds 10).
        Assert.That(names, Has.Count.EqualTo(2 + 3 + 16 * Tiny.EncoderLayers + 3 + 26 * Tiny.DecoderLayers));
        Assert.That(names.Any(n => n.Contains("embed_tokens")), Is.False, "the tied embeddings are stored once, as model.shared.weight");
        Assert.That(model.state_dict()["model.encoder.embed_positions.weight"].shape, Is.EqualTo(new long[] { Tiny.MaxPositionEmbeddings + 2, Tiny.DModel }), "BART's positions are offset by 2");
    }

    [Test]
    public void EncoderDecoderAndOutputProjectionShareOneEmbedding()
    {
        using var model = NewModel();
        using var _ = no_grad();
        model.WordMatrix[5].fill_(0.25f);
        var ids = tensor(new long[] { 5 }).unsqueeze(0);
        Assert.That(model.Encoder.Embeddings.LookUpWords(ids)[0, 0].mean().item<float>(), Is.EqualTo(0.25f));
        Assert.That(model.Decoder.Embeddings.LookUpWords(ids)[0, 0].mean().item<float>(), Is.EqualTo(0.25f));
        var logits = model.Project(ones(1, 1, Tiny.DModel));
        Assert.That(logits[0, 0, 5].item<float>(), Is.EqualTo(0.25f * Tiny.DModel).Within(1e-5), "logit = h·E[5] + final_logits_bias (0)");
    }

    [Test]
    public void ChangingALaterTargetTokenLeavesEarlierOutputsUnchanged()
    {
        using var model = NewModel();
        using var _ = no_grad();
        int[][] sources = [[0, 11, 12, 13, 14, 2]];
        var a = model.Logits(Batch(sources, [[0, 20, 21, 22, 23, 2]]));
        var b = model.Logits(Batch(sources, [[0, 20, 21, 30, 31, 2]]));
        // Labels 22 → 30 at index 3 change decoder inputs from index 4 on (inputs are labels shifted right).
        Assert.That(TensorAssert.Identical(a.narrow(1, 0, 4), b.narrow(1, 0, 4)), Is.True, "positions before the change see only earlier inputs");
        Assert.That((a.narrow(1, 4, 2) - b.narrow(1, 4, 2)).abs().max().item<float>(), Is.GreaterThan(1e-3f), "later positions do see the change");
    }

    [Test]
    public void SourcePaddingLeavesTheLogitsUnchanged()
    {
        using var model = NewModel();
        using var _ = no_grad();
        var alone = model.Logits(Batch([[0, 11, 12, 2]], [[0, 20, 21, 2]]));
        var padded = model.Logits(Batch([[0, 11, 12, 2], [0, 11, 12, 13, 14, 15, 16, 2]], [[0, 20, 21, 2], [0, 20, 2]]));
        Assert.That((padded[0] - alone[0]).abs().max().item<float>(), Is.LessThan(1e-5f));
    }

    [Test]
    public void WordEmbeddingPathEqualsIdsPath()
    {
        using var model = NewModel();
        using var _ = no_grad();
        var batch = Batch([[0, 11, 12, 13, 2], [0, 14, 2]], [[0, 20, 2], [0, 21, 22, 23, 2]]);
        var fromIds = model.Logits(batch);
        var fromEmbeddings = model.LogitsFromWordEmbeddings(model.WordEmbeddings(batch.SourceIds), batch);
        Assert.That(TensorAssert.Identical(fromIds, fromEmbeddings), Is.True);
    }

    [Test]
    public void NoiseOnTheSourceEmbeddingsChangesTheLogits()
    {
        using var model = NewModel();
        using var _ = no_grad();
        var batch = Batch([[0, 11, 12, 13, 2]], [[0, 20, 2]]);
        var words = model.WordEmbeddings(batch.SourceIds);
        var clean = model.LogitsFromWordEmbeddings(words, batch);
        var noisy = model.LogitsFromWordEmbeddings(words + 0.1 * randn_like(words), batch);
        Assert.That((clean - noisy).abs().max().item<float>(), Is.GreaterThan(1e-4f));
    }

    [Test]
    public void DecoderInputsAreTheLabelsShiftedRightBehindTheStartToken()
    {
        var batch = Batch([[0, 11, 2], [0, 12, 2]], [[0, 20, 21, 2], [0, 22, 2]]);
        Assert.That(batch.DecoderInputIds.data<long>().ToArray(), Is.EqualTo(new long[] { 2, 0, 20, 21, 2, 0, 22, 1 }));
        Assert.That(batch.Labels.data<long>().ToArray(), Is.EqualTo(new long[] { 0, 20, 21, 2, 0, 22, 2, 1 }));
        Assert.That(batch.LabelMask.data<long>().ToArray(), Is.EqualTo(new long[] { 1, 1, 1, 1, 1, 1, 1, 0 }));
    }

    [Test]
    public void IncrementalDecodingWithTheCacheEqualsTheFullForward()
    {
        using var model = NewModel();
        using var _ = no_grad();
        var batch = Batch([[0, 11, 12, 13, 2], [0, 14, 15, 2]], [[0, 20, 21, 22, 2], [0, 23, 24, 25, 2]]);
        var full = model.Logits(batch);
        var memory = model.Encode(batch.SourceIds, batch.SourceMask);
        using var cache = model.NewCache();
        for (int t = 0; t < batch.DecoderInputIds.shape[1]; t++)
        {
            var step = model.DecoderLogits(batch.DecoderInputIds.narrow(1, t, 1), memory, cache);
            Assert.That((step[.., 0] - full[.., t]).abs().max().item<float>(), Is.LessThan(1e-5f), $"position {t}");
        }
        Assert.That(cache.Length, Is.EqualTo(batch.DecoderInputIds.shape[1]));
    }

    [Test]
    public void ReorderedCacheFollowsItsRows()
    {
        using var model = NewModel();
        using var _ = no_grad();
        var batch = Batch([[0, 11, 12, 13, 2], [0, 14, 15, 2]], [[0, 20, 21, 2], [0, 23, 24, 2]]);
        var full = model.Logits(batch);
        var memory = model.Encode(batch.SourceIds, batch.SourceMask);
        using var cache = model.NewCache();
        model.DecoderLogits(batch.DecoderInputIds.narrow(1, 0, 2), memory, cache);
        // Keep row 1 twice and drop row 0, as beam search does when one hypothesis spawns two.
        var rows = tensor(new long[] { 1, 1 });
        cache.SelectRows(rows);
        var reorderedMemory = new EncoderOutput([memory.Last.index_select(0, rows)], memory.AttentionMask.index_select(0, rows));
        var next = model.DecoderLogits(batch.DecoderInputIds.index_select(0, rows).narrow(1, 2, 1), reorderedMemory, cache);
        Assert.That((next[0, 0] - full[1, 2]).abs().max().item<float>(), Is.LessThan(1e-5f));
        Assert.That((next[1, 0] - full[1, 2]).abs().max().item<float>(), Is.LessThan(1e-5f));
    }

    [Test]
    public void ScaledEmbeddingsMultiplyWordsBySqrtOfTheWidth()
    {
        using var plain = NewModel(seed: 3);
        using var scaled = NewModel(seed: 3, Tiny with { ScaleEmbedding = true });
        using var _ = no_grad();
        var ids = tensor(new long[] { 0, 11, 2 }).unsqueeze(0);
        var words = plain.WordEmbeddings(ids);
        var scaledWords = words * Math.Sqrt(Tiny.DModel);
        var expected = plain.Encoder.ForwardFromWordEmbeddings(scaledWords, zeros_like(ids), ones_like(ids)).Last;
        var actual = scaled.Encode(ids, ones_like(ids)).Last;
        Assert.That((expected - actual).abs().max().item<float>(), Is.LessThan(1e-5f));
    }
}
