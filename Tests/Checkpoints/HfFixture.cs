using System.Globalization;
using System.Text.Json;
using NUnit.Framework;
using Probing.Training.Text;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Tests.Checkpoints;

/// <summary>
/// A recorded forward pass to compare the workbench's encoder with: the small Hugging Face folders made by
/// <c>Fixtures/make_hf_fixtures.py</c> (an independent PyTorch implementation), or the shipped base run by
/// <c>transformers</c> itself (<c>Fixtures/check_with_transformers.py</c>): ids, every layer's hidden states
/// for a fixed batch and, where recorded, the MLM head's top logits at the masked positions.
/// </summary>
sealed class HfFixture
{
    public const string Bert = "hf-bert", Roberta = "hf-roberta";
    /// <summary>The shipped base as <c>transformers</c>' <c>BertForMaskedLM</c> ran it.</summary>
    public const string ShippedBaseByTransformers = "shipped-base.transformers.json";

    public static string Directory(string name) => Path.Combine(AppContext.BaseDirectory, "Checkpoints", "Fixtures", name);

    public required IReadOnlyList<(string Text, string? Pair, int[] Ids, int[] TypeIds)> Texts { get; init; }
    public required long[][] InputIds { get; init; }
    public required long[][] TokenTypeIds { get; init; }
    public required long[][] AttentionMask { get; init; }
    /// <summary>[layer][sequence][position][unit], layer 0 = embeddings.</summary>
    public required float[][][][] HiddenStates { get; init; }
    public required IReadOnlyList<(int Sequence, int Position, long[] TopIds, float[] TopLogits)> Masked { get; init; }

    /// <summary>The reference recorded for the folder <paramref name="name"/>.</summary>
    public static HfFixture Load(string name) => LoadFile(name + ".reference.json");

    public static HfFixture LoadFile(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Checkpoints", "Fixtures", fileName);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        long[][] Matrix(string key) => [.. root.GetProperty(key).EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt64()).ToArray())];
        return new HfFixture
        {
            Texts = [.. root.GetProperty("texts").EnumerateArray().Select(t => (
                t.GetProperty("text").GetString()!,
                t.GetProperty("pair").ValueKind == JsonValueKind.Null ? null : t.GetProperty("pair").GetString(),
                t.GetProperty("input_ids").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
                t.GetProperty("token_type_ids").EnumerateArray().Select(v => v.GetInt32()).ToArray()))],
            InputIds = Matrix("input_ids"),
            TokenTypeIds = Matrix("token_type_ids"),
            AttentionMask = Matrix("attention_mask"),
            HiddenStates = [.. root.GetProperty("hidden_states").EnumerateArray().Select(layer =>
                layer.EnumerateArray().Select(seq => seq.EnumerateArray().Select(pos => pos.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray()).ToArray())],
            Masked = root.TryGetProperty("masked", out var masked)
                ? [.. masked.EnumerateArray().Select(m => (
                    m.GetProperty("sequence").GetInt32(),
                    m.GetProperty("position").GetInt32(),
                    m.GetProperty("top_ids").EnumerateArray().Select(v => v.GetInt64()).ToArray(),
                    m.GetProperty("top_logits").EnumerateArray().Select(v => v.GetSingle()).ToArray()))]
                : [],
        };
    }

    /// <summary>The issue's bar: every layer (and every recorded logit) within 1e-4 of the reference.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Asserts the tokenizer gives the reference's ids and type ids for every recorded text.</summary>
    public void AssertTokenizerGivesTheIds(ITextTokenizer tokenizer, int maxLength)
    {
        foreach (var (text, pair, ids, typeIds) in Texts)
        {
            var encoded = tokenizer.Encode(text, pair, maxLength);
            Assert.That(encoded.Ids, Is.EqualTo(ids), text);
            Assert.That(encoded.TypeIds, Is.EqualTo(typeIds), text);
        }
    }

    /// <summary>Asserts every layer of the encoder is within <see cref="Tolerance"/> of the reference (and logs the differences).</summary>
    public void AssertEveryLayerMatches(Encoder encoder, string label)
    {
        var differences = MaxDifferences(encoder);
        TestContext.Out.WriteLine($"{label}: max |difference| per layer = {string.Join(", ", differences.Select(d => d.ToString("E2", CultureInfo.InvariantCulture)))}");
        Assert.That(differences, Has.Length.EqualTo(encoder.Config.NumHiddenLayers + 1));
        Assert.That(differences, Has.All.LessThanOrEqualTo(Tolerance));
    }

    /// <summary>The largest absolute difference per layer between the encoder's hidden states and the reference.</summary>
    double[] MaxDifferences(Encoder encoder)
    {
        encoder.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var output = encoder.Forward(Batch(InputIds), Batch(TokenTypeIds), Batch(AttentionMask));
        return [.. HiddenStates.Select((layer, l) =>
        {
            var expected = tensor(layer.SelectMany(s => s.SelectMany(p => p)).ToArray(), output.HiddenStates[l].shape);
            return (output.HiddenStates[l] - expected).abs().max().item<float>() * 1.0;
        })];
    }

    /// <summary>Per recorded masked position: the model's logits at the reference's top ids, and its own best id.</summary>
    public (float[] Logits, long BestId)[] MaskedPredictions(MaskedLanguageModel model)
    {
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var inputIds = Batch(InputIds);
        var masked = zeros_like(inputIds, dtype: ScalarType.Bool);
        foreach (var (sequence, position, _, _) in Masked) masked[sequence, position] = true;
        // Rows come back in row-major order of the mask, the order the reference lists them in.
        var logits = model.PredictMasked(inputIds, Batch(TokenTypeIds), Batch(AttentionMask), masked);
        var order = Masked.Select((m, i) => (m, i)).OrderBy(x => x.m.Sequence).ThenBy(x => x.m.Position).Select(x => x.i).ToArray();
        var predictions = new (float[], long)[Masked.Count];
        for (var row = 0; row < order.Length; row++)
        {
            var entry = Masked[order[row]];
            predictions[order[row]] = (
                [.. entry.TopIds.Select(id => logits[row, id].item<float>())],
                logits[row].argmax().item<long>());
        }
        return predictions;
    }

    static Tensor Batch(long[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
}
