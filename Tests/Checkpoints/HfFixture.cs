using System.Text.Json;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Tests.Checkpoints;

/// <summary>
/// The small Hugging Face folders made by <c>Fixtures/make_hf_fixtures.py</c> (an independent PyTorch
/// implementation) and the hidden states it recorded for a fixed batch.
/// </summary>
sealed class HfFixture
{
    public const string Bert = "hf-bert", Roberta = "hf-roberta";

    public static string Directory(string name) => Path.Combine(AppContext.BaseDirectory, "Checkpoints", "Fixtures", name);

    public required IReadOnlyList<(string Text, string? Pair, int[] Ids, int[] TypeIds)> Texts { get; init; }
    public required long[][] InputIds { get; init; }
    public required long[][] TokenTypeIds { get; init; }
    public required long[][] AttentionMask { get; init; }
    /// <summary>[layer][sequence][position][unit], layer 0 = embeddings.</summary>
    public required float[][][][] HiddenStates { get; init; }

    public static HfFixture Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Checkpoints", "Fixtures", name + ".reference.json");
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
        };
    }

    /// <summary>The largest absolute difference per layer between the encoder's hidden states and the reference.</summary>
    public double[] MaxDifferences(Encoder encoder)
    {
        encoder.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Tensor Batch(long[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
        var output = encoder.Forward(Batch(InputIds), Batch(TokenTypeIds), Batch(AttentionMask));
        return [.. HiddenStates.Select((layer, l) =>
        {
            var expected = tensor(layer.SelectMany(s => s.SelectMany(p => p)).ToArray(), output.HiddenStates[l].shape);
            return (output.HiddenStates[l] - expected).abs().max().item<float>() * 1.0;
        })];
    }
}
