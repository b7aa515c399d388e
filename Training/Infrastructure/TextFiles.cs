using System.IO.Compression;
using System.Text;

namespace Probing.Training.Infrastructure;

/// <summary>Reads UTF-8 text files (plain or .gz) strictly: invalid bytes are an error naming the file and line.</summary>
public static class TextFiles
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEnumerable<string> ReadLines(string path)
    {
        if (!File.Exists(path)) throw InputError.InFile(path, "file not found");
        using var stream = Open(path);
        using var reader = new StreamReader(stream, Strict, detectEncodingFromByteOrderMarks: true);
        int lineNumber = 0;
        while (true)
        {
            string? line;
            try { line = reader.ReadLine(); }
            catch (DecoderFallbackException) { throw InputError.AtLine(path, lineNumber + 1, "not valid UTF-8"); }
            catch (InvalidDataException e) { throw InputError.InFile(path, $"corrupt gzip data ({e.Message})"); }
            if (line == null) yield break;
            lineNumber++;
            yield return line;
        }
    }

    static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
