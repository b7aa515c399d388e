using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Probing.Training.Infrastructure;

/// <summary>SHA-256 of files, as lower-case hex (what <c>sha256sum</c> prints).</summary>
public static class FileDigest
{
    static readonly ConcurrentDictionary<string, (long Length, long Ticks, string Hash)> memo = new();

    /// <summary>Reads and hashes the whole file. Use it to verify a file against a recorded checksum.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// The same, remembered per path, size and modification time for the life of the process, so a
    /// study that records the same base and task files for every run reads each file once.
    /// </summary>
    public static string Sha256Remembered(string path)
    {
        var full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        if (!info.Exists) throw InputError.InFile(full, "file not found");
        if (memo.TryGetValue(full, out var known) && known.Length == info.Length && known.Ticks == info.LastWriteTimeUtc.Ticks) return known.Hash;
        var hash = Sha256(full);
        memo[full] = (info.Length, info.LastWriteTimeUtc.Ticks, hash);
        return hash;
    }
}
