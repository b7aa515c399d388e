using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// What incremental decoding keeps between steps, per decoder layer: the self-attention keys and
/// values of every position decoded so far, and the cross-attention keys and values of the encoder's
/// output (projected once). Each step then costs one position instead of the whole prefix: a cache
/// rather than recomputation, because beam search over a summary of n tokens would otherwise run
/// the decoder on O(n²) positions. The cached tensors are detached from dispose scopes and owned here;
/// <see cref="Dispose"/> frees them.
/// </summary>
public sealed class DecoderCache : IDisposable
{
    public DecoderCache(int layers) => Layers = [.. Enumerable.Range(0, layers).Select(_ => new LayerCache())];

    public IReadOnlyList<LayerCache> Layers { get; }

    /// <summary>Decoder positions cached so far (the next position's index).</summary>
    public long Length => Layers[0].Keys?.shape[2] ?? 0;

    /// <summary>Keeps the given rows in the given order (beam search's reordering; finished documents dropped).</summary>
    public void SelectRows(Tensor rows)
    {
        foreach (var layer in Layers) layer.SelectRows(rows);
    }

    public void Dispose()
    {
        foreach (var layer in Layers) layer.Dispose();
    }
}

/// <summary>One decoder layer's cached keys and values (B × heads × positions × head size).</summary>
public sealed class LayerCache : IDisposable
{
    Tensor? keys, values;
    (Tensor Keys, Tensor Values)? memory;

    public Tensor? Keys => keys;

    /// <summary>The cross-attention keys and values of the encoder's output, once projected (the cache keeps handles of its own).</summary>
    public (Tensor Keys, Tensor Values)? Memory
    {
        get => memory;
        set
        {
            DisposeMemory();
            if (value is { } kv) memory = (Own(kv.Keys), Own(kv.Values));
        }
    }

    /// <summary>Appends the newest positions' keys and values; returns those of every position so far.</summary>
    public (Tensor Keys, Tensor Values) Append((Tensor Keys, Tensor Values) newest)
    {
        var allKeys = keys is null ? newest.Keys : cat([keys, newest.Keys], 2);
        var allValues = values is null ? newest.Values : cat([values, newest.Values], 2);
        Replace(ref keys, allKeys);
        Replace(ref values, allValues);
        return (allKeys, allValues);
    }

    public void SelectRows(Tensor rows)
    {
        if (keys is not null) Replace(ref keys, keys.index_select(0, rows));
        if (values is not null) Replace(ref values, values.index_select(0, rows));
        if (memory is { } kv) Memory = (kv.Keys.index_select(0, rows), kv.Values.index_select(0, rows));
    }

    public void Dispose()
    {
        keys?.Dispose();
        values?.Dispose();
        keys = values = null;
        DisposeMemory();
    }

    void DisposeMemory()
    {
        if (memory is { } kv)
        {
            kv.Keys.Dispose();
            kv.Values.Dispose();
        }
        memory = null;
    }

    /// <summary>A handle of our own that no dispose scope frees (the caller's handle stays the caller's).</summary>
    static Tensor Own(Tensor tensor) => tensor.alias().DetachFromDisposeScope();

    static void Replace(ref Tensor? slot, Tensor value)
    {
        var previous = slot;
        slot = Own(value);
        previous?.Dispose();
    }
}
