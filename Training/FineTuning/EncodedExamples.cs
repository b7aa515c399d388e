using Probing.Training.Data;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;
using static TorchSharp.torch;

namespace Probing.Training.FineTuning;

/// <summary>A split tokenized once, turned into padded batches on demand: class indices or scores as targets.</summary>
public sealed class EncodedExamples
{
    readonly EncodedText[] texts;
    readonly long[] labels;
    readonly float[] scores;
    readonly int padId;

    public EncodedExamples(IReadOnlyList<Example> examples, TaskSpec spec, ITextTokenizer tokenizer, int maxLength)
    {
        IsRegression = spec.IsRegression;
        padId = tokenizer.PadId;
        texts = [.. examples.Select(e => tokenizer.Encode(e.Text1, e.Text2, maxLength))];
        labels = [.. examples.Select(e => (long)e.Label)];
        scores = [.. examples.Select(e => (float)e.Score)];
        var outside = labels.Where(l => l < 0 || l >= spec.Labels.Count).Select(l => (long?)l).FirstOrDefault();
        if (!IsRegression && outside is { } bad)
            throw new InputError($"task {spec.Name}: label index {bad} outside its {spec.Labels.Count} labels");
    }

    public int Count => texts.Length;
    public bool IsRegression { get; }

    /// <param name="device">Where the batch's tensors are made: the model's device (default the CPU).</param>
    public ClassifierBatch Batch(IReadOnlyList<int> indices, Device? device = null)
    {
        device ??= CPU;
        var tokens = TokenBatch.Pad([.. indices.Select(i => texts[i])], padId);
        long[] shape = [tokens.BatchSize, tokens.Length];
        var targets = IsRegression ? tensor(indices.Select(i => scores[i]).ToArray(), device: device) : tensor(indices.Select(i => labels[i]).ToArray(), device: device);
        return new ClassifierBatch(tensor(tokens.Ids, shape, device: device), tensor(tokens.TypeIds, shape, device: device), tensor(tokens.AttentionMask, shape, device: device), targets);
    }

    /// <summary>Consecutive batches covering every example once, in order.</summary>
    public IEnumerable<IReadOnlyList<int>> InOrder(int batchSize)
    {
        for (int start = 0; start < Count; start += batchSize)
            yield return [.. Enumerable.Range(start, Math.Min(batchSize, Count - start))];
    }
}
