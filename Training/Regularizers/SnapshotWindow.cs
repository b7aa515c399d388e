using Probing.Training.Infrastructure;
using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>
/// The student's parameters at the last K steps: per parameter one K × (its shape) tensor used as a
/// ring. Pushing costs one copy per parameter; a mean is summed from the held snapshots (in float64)
/// only when it is asked for, so thousands of steps never drift and a step that needs no mean pays
/// nothing for it. Means can be taken over whole parameters or over selected rows (a batch's word embeddings).
/// </summary>
public sealed class SnapshotWindow : IDisposable
{
    readonly IReadOnlyList<(string Name, Tensor Parameter)> parameters;
    readonly Tensor[] ring;
    int next;

    public SnapshotWindow(IEnumerable<(string Name, Tensor Parameter)> parameters, int size)
    {
        if (size < 1) throw new InputError($"method.teacher_size {size}: expected at least 1");
        this.parameters = [.. parameters];
        ring = [.. this.parameters.Select(p => zeros([size, .. p.Parameter.shape], dtype: p.Parameter.dtype))];
        Size = size;
    }

    public int Size { get; }
    public int Count { get; private set; }

    /// <summary>Records the parameters' current values, overwriting the oldest snapshot once K are held.</summary>
    public void Push()
    {
        using var _ = no_grad();
        for (int i = 0; i < parameters.Count; i++)
            using (var slot = ring[i][next]) slot.copy_(parameters[i].Parameter);
        next = (next + 1) % Size;
        Count = Math.Min(Count + 1, Size);
    }

    /// <summary>Writes the mean of the held snapshots of parameter <paramref name="index"/> into <paramref name="target"/>.</summary>
    public void WriteMean(int index, Tensor target)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        target.copy_(Held(index).sum(0, type: float64).div_(Count));
    }

    /// <summary>
    /// The mean over the held snapshots of the rows <paramref name="rows"/> (any shape of int64 ids) of a
    /// matrix parameter: shape rows.shape × columns, float32 — what an embedding lookup in the mean model returns.
    /// </summary>
    public Tensor MeanRows(int index, Tensor rows)
    {
        using var _ = no_grad();
        var held = Held(index);
        var picked = held.index_select(1, rows.flatten());
        return picked.sum(0, type: float64).div_(Count).to(held.dtype).view([.. rows.shape, held.shape[2]]);
    }

    /// <summary>Writes snapshot <paramref name="snapshot"/> (0 = oldest held) of parameter <paramref name="index"/> into <paramref name="target"/>.</summary>
    public void WriteSnapshot(int snapshot, int index, Tensor target)
    {
        using var _ = no_grad();
        using var slot = Snapshot(snapshot, index);
        target.copy_(slot);
    }

    /// <summary>Snapshot <paramref name="snapshot"/> (0 = oldest held) of parameter <paramref name="index"/>, a view into the ring.</summary>
    public Tensor Snapshot(int snapshot, int index) => ring[index][(next - Count + snapshot + Size) % Size];

    /// <summary>The held snapshots of parameter <paramref name="index"/> (Count × shape, in ring order), a view.</summary>
    Tensor Held(int index) => Count == Size ? ring[index] : ring[index][..Count];

    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor> { ["window.count"] = tensor((long)Count), ["window.next"] = tensor((long)next) };
        for (int i = 0; i < parameters.Count; i++)
            for (int k = 0; k < Size; k++) state[$"window.{k}.{parameters[i].Name}"] = ring[i][k];
        return state;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        Tensor Get(string key) => state.TryGetValue(key, out var t) ? t : throw InputError.InFile(source, $"missing tensor {key} (was the run started with another teacher_size?)");
        using var _ = no_grad();
        Count = (int)Get("window.count").item<long>();
        next = (int)Get("window.next").item<long>();
        for (int i = 0; i < parameters.Count; i++)
            for (int k = 0; k < Size; k++)
                using (var slot = ring[i][k]) slot.copy_(Get($"window.{k}.{parameters[i].Name}"));
    }

    public void Dispose()
    {
        foreach (var t in ring) t.Dispose();
    }
}
