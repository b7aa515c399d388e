using System.Text;

namespace Probing.Workbench.Benchmarks;

/// <summary>Writes NumPy .npy (format 1.0, little-endian, C order) so that Python references read the exact same numbers.</summary>
public static class NpyFile
{
    public static void Write(string path, float[] data, params int[] shape) =>
        Write(path, "<f4", shape, MemoryOf(data, sizeof(float)));

    public static void Write(string path, long[] data) =>
        Write(path, "<i8", [data.Length], MemoryOf(data, sizeof(long)));

    static byte[] MemoryOf(Array data, int size)
    {
        var bytes = new byte[data.Length * size];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    static void Write(string path, string descr, int[] shape, byte[] body)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("npy writing assumes a little-endian machine");
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        // Magic (6) + version (2) + header length (2) + header + '\n', padded with spaces to a multiple of 64.
        var padded = header.PadRight((10 + header.Length + 1 + 63) / 64 * 64 - 10 - 1) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, .. "NUMPY"u8, 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)padded.Length));
        stream.Write(Encoding.ASCII.GetBytes(padded));
        stream.Write(body);
    }
}
