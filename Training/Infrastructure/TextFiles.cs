using System.IO.Compression;
using System.Text;

namespace Probing.Training.Infrastructure;

/// <summary>Reads UTF-8 text files (plain or .gz) strictly: invalid bytes are an error naming the file and line.</summary>
public static class TextFiles
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Lines split at '\n' (a trailing '\r' is dropped, as is a leading byte-order mark). Each line
    /// is decoded on its own: a StreamReader decodes whole buffers ahead of the line it returns,
    /// which would blame bad bytes on the wrong line.
    /// </summary>
    public static IEnumerable<string> ReadLines(string path)
    {
        if (!File.Exists(path)) throw InputError.InFile(path, "file not found");
        using var stream = new BufferedStream(Open(path), 1 << 16);
        var line = new MemoryStream();
        var lineNumber = 0;
        while (true)
        {
            var next = ReadByte(stream, path);
            if (next == '\n' || (next < 0 && line.Length > 0))
            {
                lineNumber++;
                yield return Decode(line, path, lineNumber);
                line.SetLength(0);
            }
            else if (next >= 0) line.WriteByte((byte)next);
            if (next < 0) yield break;
        }
    }

    static int ReadByte(Stream stream, string path)
    {
        try { return stream.ReadByte(); }
        catch (InvalidDataException e) { throw InputError.InFile(path, $"corrupt gzip data ({e.Message})"); }
    }

    static string Decode(MemoryStream line, string path, int lineNumber)
    {
        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (lineNumber == 1 && bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        if (bytes.Length > 0 && bytes[^1] == '\r') bytes = bytes[..^1];
        try { return Strict.GetString(bytes); }
        catch (DecoderFallbackException) { throw InputError.AtLine(path, lineNumber, "not valid UTF-8"); }
    }

    static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
