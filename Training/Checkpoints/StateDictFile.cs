using System.Text.Json;
using Probing.Training.Infrastructure;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Probing.Training.Checkpoints;

/// <summary>
/// Reads and writes named tensors as safetensors; a damaged file becomes a one-line error naming it.
/// The header is checked (<see cref="SafetensorsHeader"/>) before the loader sees the file: a dtype the
/// loader cannot hold (e.g. F8_E5M2) would otherwise end the process instead of being refused.
/// </summary>
public static class StateDictFile
{
    /// <summary>The dtypes TorchSharp.PyBridge turns into tensors.</summary>
    public static readonly IReadOnlyList<string> LoadableDTypes = ["F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL"];

    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw InputError.InFile(path, "file not found");
        foreach (var entry in SafetensorsHeader.Read(path))
            if (!LoadableDTypes.Contains(entry.DType))
                throw InputError.InFile(path, $"tensor {entry.Name} has dtype {entry.DType}, which the workbench cannot load; supported: {string.Join(", ", LoadableDTypes)}");
        try
        {
            return Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or JsonException or IOException or InvalidOperationException or FormatException or OverflowException or NotSupportedException or NotImplementedException)
        {
            var reason = e is JsonException ? "broken header JSON" : e.GetType().Name.Replace("Exception", "") + ": " + FirstLine(e.Message);
            throw InputError.InFile(path, $"not a readable safetensors file ({reason})");
        }
    }

    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var contiguous = tensors.ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous());
        AtomicFile.Write(path, temp => Safetensors.SaveStateDict(temp, contiguous));
        foreach (var tensor in contiguous.Values) tensor.Dispose();
    }

    static string FirstLine(string message)
    {
        var line = message.Split('\n')[0];
        return line.Length > 120 ? line[..120] + "…" : line;
    }
}
