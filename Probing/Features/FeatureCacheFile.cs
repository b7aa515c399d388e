using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Probing.Training.Infrastructure;

namespace Probing.Probing.Features;

/// <summary>
/// One cached feature matrix: magic, the key line, rows, columns, float32 data (little-endian),
/// then a SHA-256 of everything before it. A read checks all of it, so a truncated, foreign,
/// mis-shaped or bit-flipped file is reported rather than used.
/// </summary>
public static class FeatureCacheFile
{
    static readonly byte[] Magic = "PRBFEAT1"u8.ToArray();
    const int ChecksumLength = 32;

    public static void Write(string path, string key, FeatureMatrix matrix) => AtomicFile.Write(path, temp =>
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var bytes = new byte[Magic.Length + 4 + keyBytes.Length + 8 + matrix.Data.Length * 4 + ChecksumLength];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        var at = Magic.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], keyBytes.Length);
        keyBytes.CopyTo(span[(at += 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[(at += keyBytes.Length)..], matrix.Rows);
        BinaryPrimitives.WriteInt32LittleEndian(span[(at += 4)..], matrix.Columns);
        at += 4;
        foreach (var value in matrix.Data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span[at..], value);
            at += 4;
        }
        SHA256.HashData(span[..at], span[at..]);
        File.WriteAllBytes(temp, bytes);
    });

    /// <summary>The matrix stored under <paramref name="key"/> with the expected shape, or null and why not.</summary>
    public static FeatureMatrix? TryRead(string path, string key, int rows, int columns, out string? problem)
    {
        problem = null;
        if (!File.Exists(path)) return Fail("missing", out problem);
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        if (bytes.Length < Magic.Length + 4 + 8 + ChecksumLength || !span[..Magic.Length].SequenceEqual(Magic))
            return Fail("not a feature cache file", out problem);
        var body = span[..^ChecksumLength];
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(span[^ChecksumLength..]))
            return Fail("checksum mismatch (truncated or corrupted)", out problem);
        var at = Magic.Length;
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
        at += 4;
        if (keyLength < 0 || at + keyLength + 8 > body.Length) return Fail("bad key length", out problem);
        if (Encoding.UTF8.GetString(span.Slice(at, keyLength)) != key) return Fail("written for another key", out problem);
        at += keyLength;
        var storedRows = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
        var storedColumns = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 4)..]);
        at += 8;
        if (storedRows != rows || storedColumns != columns)
            return Fail($"shape {storedRows} × {storedColumns}, expected {rows} × {columns}", out problem);
        if (body.Length - at != (long)rows * columns * 4) return Fail("data length disagrees with the shape", out problem);
        var data = new float[rows * columns];
        for (var i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(at + 4 * i)..]);
        return new FeatureMatrix(data, rows, columns);
    }

    static FeatureMatrix? Fail(string reason, out string? problem)
    {
        problem = reason;
        return null;
    }
}
