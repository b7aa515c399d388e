using Probing.Training.Data;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Probing.Features;

/// <summary>
/// Pooled features of a frozen encoder: eval mode (no dropout), no autograd, batches of texts of
/// similar length (little padding), one forward for every requested layer.
/// </summary>
public sealed class FeatureExtractor(int batchSize = 64)
{
    /// <summary>Encoder forward passes (batches) run so far; a cache hit must leave it unchanged.</summary>
    public int ForwardPasses { get; private set; }

    /// <returns>One matrix per entry of <paramref name="layers"/> (0 = embeddings, L = last layer), rows in example order.</returns>
    public IReadOnlyList<FeatureMatrix> Extract(Encoder encoder, ITextTokenizer tokenizer, IReadOnlyList<Example> examples,
        IReadOnlyList<int> layers, Pooling pooling, int maxLength)
    {
        var hidden = encoder.Config.HiddenSize;
        foreach (var layer in layers)
            if (layer < 0 || layer > encoder.Config.NumHiddenLayers)
                throw new ArgumentOutOfRangeException(nameof(layers), $"layer {layer} is outside 0..{encoder.Config.NumHiddenLayers}");
        var outputs = layers.Select(_ => new float[examples.Count * hidden]).ToArray();
        // As Hugging Face pipelines do, inputs are cut to what the model's position table covers.
        var length = Math.Min(maxLength, encoder.Config.MaxSequenceLength);
        var encoded = examples.Select(e => tokenizer.Encode(e.Text1, e.Text2, length)).ToArray();
        var order = Enumerable.Range(0, encoded.Length).OrderBy(i => encoded[i].Ids.Length).ToArray();

        encoder.eval();
        encoder.to(TorchRuntime.Device);
        using var _ = no_grad();
        for (var start = 0; start < order.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var rows = order[start..Math.Min(start + batchSize, order.Length)];
            var batch = TokenBatch.Pad([.. rows.Select(i => encoded[i])], tokenizer.PadId);
            long[] shape = [batch.BatchSize, batch.Length];
            var device = TorchRuntime.Device;
            var output = encoder.Forward(tensor(batch.Ids, shape, device: device), tensor(batch.TypeIds, shape, device: device), tensor(batch.AttentionMask, shape, device: device));
            ForwardPasses++;
            for (var l = 0; l < layers.Count; l++)
            {
                var pooled = pooling.Pool(output.HiddenStates[layers[l]], output.AttentionMask).to(ScalarType.Float32).cpu().contiguous();
                var values = pooled.data<float>().ToArray();
                for (var r = 0; r < rows.Length; r++)
                    Array.Copy(values, r * hidden, outputs[l], rows[r] * hidden, hidden);
            }
        }
        return [.. outputs.Select(data => new FeatureMatrix(data, examples.Count, hidden))];
    }
}
