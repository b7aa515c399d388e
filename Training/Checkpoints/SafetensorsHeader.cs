using System.Buffers.Binary;
using System.Text.Json;
using Probing.Training.Infrastructure;

namespace Probing.Training.Checkpoints;

/// <summary>One tensor as a safetensors header describes it.</summary>
public sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>
/// Reads and checks a safetensors header before any tensor is loaded: 8-byte little-endian header
/// length within the file, a JSON object, known dtypes, and data offsets that lie inside the data
/// area and match each shape. A damaged file becomes a one-line <see cref="InputError"/> naming it,
/// instead of whatever the loader would make of it.
/// </summary>
public static class SafetensorsHeader
{
    /// <summary>Bytes per element of every dtype the format defines.</summary>
    static readonly Dictionary<string, int> ElementSizes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1,
        ["U64"] = 8, ["U32"] = 4, ["U16"] = 2, ["U8"] = 1, ["BOOL"] = 1, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1,
    };

    /// <summary>The dtypes whose tensors become float32 weights.</summary>
    public static readonly IReadOnlyList<string> FloatDTypes = ["F32", "F16", "BF16"];

    /// <summary>A header larger than this is not a model header but a damaged length field.</summary>
    const long MaxHeaderBytes = 100 << 20;

    public static IReadOnlyList<SafetensorsEntry> Read(string path)
    {
        if (!File.Exists(path)) throw InputError.InFile(path, "file not found");
        using var stream = File.OpenRead(path);
        var fileLength = stream.Length;
        if (fileLength < 8) throw InputError.InFile(path, $"truncated safetensors file ({fileLength} bytes; the 8-byte header length is missing)");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8))
            throw InputError.InFile(path, $"safetensors header length {headerLength} goes beyond the end of the file ({fileLength} bytes): truncated or not a safetensors file");
        if ((long)headerLength > MaxHeaderBytes)
            throw InputError.InFile(path, $"safetensors header length {headerLength} is implausibly large");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var dataLength = fileLength - 8 - (long)headerLength;
        return Parse(path, headerBytes, dataLength);
    }

    static List<SafetensorsEntry> Parse(string path, byte[] header, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw InputError.InFile(path, $"safetensors header is not valid JSON ({e.Message.Split('.')[0]})");
        }
        using var _ = document;
        if (document.RootElement.ValueKind != JsonValueKind.Object) throw InputError.InFile(path, "safetensors header is not a JSON object");
        var entries = new List<SafetensorsEntry>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__") continue;
            var entry = ParseEntry(path, property);
            if (entry.Begin < 0 || entry.End < entry.Begin || entry.End > dataLength)
                throw InputError.InFile(path, $"tensor {entry.Name}: data_offsets [{entry.Begin}, {entry.End}] lie outside the data area of {dataLength} bytes (truncated file?)");
            var expectedBytes = entry.Shape.Aggregate(1L, (a, b) => a * b) * ElementSizes[entry.DType];
            if (entry.End - entry.Begin != expectedBytes)
                throw InputError.InFile(path, $"tensor {entry.Name}: data_offsets span {entry.End - entry.Begin} bytes but shape [{string.Join(", ", entry.Shape)}] of {entry.DType} needs {expectedBytes}");
            entries.Add(entry);
        }
        return entries;
    }

    static SafetensorsEntry ParseEntry(string path, JsonProperty property)
    {
        var name = property.Name;
        InputError Bad(string what) => InputError.InFile(path, $"tensor {name}: {what} in the safetensors header");
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object) throw Bad("expected an object");
        if (!value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String) throw Bad("dtype missing");
        if (!ElementSizes.ContainsKey(dtype.GetString()!)) throw Bad($"unknown dtype {dtype.GetString()}");
        if (!value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array) throw Bad("shape missing");
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2) throw Bad("data_offsets missing");
        long[] dims;
        try
        {
            dims = [.. shape.EnumerateArray().Select(d => d.GetInt64())];
            var begin = offsets[0].GetInt64();
            var end = offsets[1].GetInt64();
            if (dims.Any(d => d < 0)) throw Bad("negative dimension");
            return new SafetensorsEntry(name, dtype.GetString()!, dims, begin, end);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw Bad("non-integer shape or data_offsets");
        }
    }
}
