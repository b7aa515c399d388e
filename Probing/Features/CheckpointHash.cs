using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Probing.Training.Checkpoints;

namespace Probing.Probing.Features;

/// <summary>
/// SHA-256 of a model folder's content files (weights, config and tokenizer files). Memoised per
/// path, modification time and size of each file, so an unchanged checkpoint is read once per process
/// and a rewritten one is hashed again.
/// </summary>
public static class CheckpointHash
{
    static readonly ConcurrentDictionary<string, (string Stamp, string Hash)> memo = new();

    public static string Of(ModelFolder folder)
    {
        var stamp = string.Join("|", folder.ContentFiles.Select(name =>
        {
            var info = new FileInfo(folder.File(name));
            return FormattableString.Invariant($"{name}:{info.LastWriteTimeUtc.Ticks}:{info.Length}");
        }));
        if (memo.TryGetValue(folder.Path, out var known) && known.Stamp == stamp) return known.Hash;
        var hash = Compute(folder);
        memo[folder.Path] = (stamp, hash);
        return hash;
    }

    static string Compute(ModelFolder folder)
    {
        using var combined = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in folder.ContentFiles)
        {
            using var stream = File.OpenRead(folder.File(name));
            combined.AppendData(Encoding.UTF8.GetBytes(name + "\n"));
            combined.AppendData(SHA256.HashData(stream));
        }
        return Convert.ToHexStringLower(combined.GetHashAndReset());
    }
}
