using Probing.Training.Infrastructure;
using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>
/// The student's parameters at the last K steps, as a ring of K copies plus their running sum
/// (float64, so thousands of add/subtract updates do not drift). Pushing costs one copy, one add
/// and one subtract per parameter; the mean is the sum divided by the count — never a re-average of K copies.
/// </summary>
public sealed class SnapshotWindow : IDisposable
{
    readonly IReadOnlyList<(string Name, Tensor Parameter)> parameters;
    readonly Tensor[][] ring;
    readonly Tensor[] sum;
    int next;

    public SnapshotWindow(IEnumerable<(string Name, Tensor Parameter)> parameters, int size)
    {
        if (size < 1) throw new InputError($"method.teacher_size {size}: expected at least 1");
        this.parameters = [.. parameters];
        ring = [.. Enumerable.Range(0, size).Select(_ => this.parameters.Select(p => zeros_like(p.Parameter)).ToArray())];
        sum = [.. this.parameters.Select(p => zeros_like(p.Parameter, dtype: float64))];
    }

    public int Size => ring.Length;
    public int Count { get; private set; }

    /// <summary>Records the parameters' current values, dropping the oldest snapshot once K are held.</summary>
    public void Push()
    {
        using var _ = no_grad();
        var slot = ring[next];
        for (int i = 0; i < parameters.Count; i++)
        {
            if (Count == Size) sum[i].sub_(slot[i]);
            slot[i].copy_(parameters[i].Parameter);
            sum[i].add_(slot[i]);
        }
        next = (next + 1) % Size;
        Count = Math.Min(Count + 1, Size);
    }

    /// <summary>Writes the mean of the held snapshots into <paramref name="targets"/> (same order as the parameters).</summary>
    public void WriteMean(IReadOnlyList<Tensor> targets)
    {
        using var _ = no_grad();
        for (int i = 0; i < targets.Count; i++)
        {
            using var mean = sum[i] / Count;
            targets[i].copy_(mean);
        }
    }

    /// <summary>Writes snapshot <paramref name="index"/> (0 = oldest held) into <paramref name="targets"/>.</summary>
    public void WriteSnapshot(int index, IReadOnlyList<Tensor> targets)
    {
        var slot = ring[(next - Count + index + Size) % Size];
        using var _ = no_grad();
        for (int i = 0; i < targets.Count; i++) targets[i].copy_(slot[i]);
    }

    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor> { ["window.count"] = tensor((long)Count), ["window.next"] = tensor((long)next) };
        for (int i = 0; i < parameters.Count; i++)
        {
            state[$"window.sum.{parameters[i].Name}"] = sum[i];
            for (int k = 0; k < Size; k++) state[$"window.{k}.{parameters[i].Name}"] = ring[k][i];
        }
        return state;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        Tensor Get(string key) => state.TryGetValue(key, out var t) ? t : throw InputError.InFile(source, $"missing tensor {key} (was the run started with another teacher_size?)");
        using var _ = no_grad();
        Count = (int)Get("window.count").item<long>();
        next = (int)Get("window.next").item<long>();
        for (int i = 0; i < parameters.Count; i++)
        {
            sum[i].copy_(Get($"window.sum.{parameters[i].Name}"));
            for (int k = 0; k < Size; k++) ring[k][i].copy_(Get($"window.{k}.{parameters[i].Name}"));
        }
    }

    public void Dispose()
    {
        foreach (var t in ring.SelectMany(r => r).Concat(sum)) t.Dispose();
    }
}
