using System.Security.Cryptography;
using System.Text;
using Probing.Training.Data;
using Probing.Training.Model;

namespace Probing.Probing.Features;

/// <summary>
/// Everything pooled features depend on: the encoder's content (<see cref="ModelHash"/>: weights,
/// config and vocabulary), the exact input texts (<see cref="DataHash"/>, so a rebuilt task is
/// never served stale rows), the layer, the pooling and the truncation length.
/// </summary>
public sealed record FeatureKey(string ModelHash, string Task, string Split, string DataHash, int Layer, Pooling Pooling, int MaxLength)
{
    /// <summary>The key as one line; stored in the cache file and compared on every read.</summary>
    public string Describe() =>
        FormattableString.Invariant($"model={ModelHash} task={Task} split={Split} data={DataHash} layer={Layer} pooling={Pooling.ToString().ToLowerInvariant()} max_length={MaxLength}");

    public string FileName => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Describe())))[..32] + ".feat";

    /// <summary>SHA-256 of a split's texts, in order (fields separated so that ("ab", "c") ≠ ("a", "bc")).</summary>
    public static string HashTexts(IReadOnlyList<Example> examples)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var example in examples)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(example.Text1));
            hash.AppendData(example.Text2 is null ? "\u0001"u8 : Encoding.UTF8.GetBytes("\u0000" + example.Text2));
            hash.AppendData("\u0002"u8);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
