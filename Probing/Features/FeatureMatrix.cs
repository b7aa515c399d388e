using static TorchSharp.torch;

namespace Probing.Probing.Features;

/// <summary>Pooled features of one split at one layer: a row-major float32 matrix, one row per example in split order.</summary>
public sealed class FeatureMatrix
{
    public FeatureMatrix(float[] data, int rows, int columns)
    {
        if (data.Length != (long)rows * columns)
            throw new ArgumentException($"{data.Length} values cannot fill {rows} × {columns}", nameof(data));
        Data = data;
        Rows = rows;
        Columns = columns;
    }

    public float[] Data { get; }
    public int Rows { get; }
    public int Columns { get; }

    public ReadOnlySpan<float> Row(int index) => Data.AsSpan(index * Columns, Columns);

    public FeatureMatrix SelectRows(IReadOnlyList<int> indices)
    {
        var data = new float[indices.Count * Columns];
        for (var i = 0; i < indices.Count; i++) Row(indices[i]).CopyTo(data.AsSpan(i * Columns, Columns));
        return new FeatureMatrix(data, indices.Count, Columns);
    }

    /// <summary>A new tensor (Rows × Columns) of <paramref name="type"/>; the caller owns it.</summary>
    public Tensor ToTensor(ScalarType type = ScalarType.Float64)
    {
        using var floats = tensor(Data, [Rows, Columns]);   // device: cached features feed the probes, which fit on the CPU
        return floats.to(type);
    }

    public static FeatureMatrix FromTensor(Tensor values)
    {
        if (values.dim() != 2) throw new ArgumentException("expected a matrix", nameof(values));
        using var floats = values.detach().to(ScalarType.Float32).cpu().contiguous();
        return new FeatureMatrix(floats.data<float>().ToArray(), (int)values.shape[0], (int)values.shape[1]);
    }
}
