using System.Text;

namespace Probing.Training.Data.Embedded;

/// <summary>
/// SplitMix64: a random stream fixed by its seed on every platform and runtime version, so the
/// built task files are byte-identical wherever they are rebuilt (System.Random promises no such thing).
/// </summary>
public sealed class StableRandom(ulong seed)
{
    ulong state = seed;

    public ulong NextULong()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public int Next(int exclusiveMax) => (int)(NextULong() % (ulong)exclusiveMax);

    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public static StableRandom For(string purpose) => new(Hash(purpose));

    /// <summary>FNV-1a over UTF-8, stable across processes (string.GetHashCode is randomised).</summary>
    public static ulong Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text)) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }
}
