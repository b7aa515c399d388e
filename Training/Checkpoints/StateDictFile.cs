using System.Text.Json;
using Probing.Training.Infrastructure;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Probing.Training.Checkpoints;

/// <summary>Reads and writes named tensors as safetensors; a damaged file becomes a one-line error naming it.</summary>
public static class StateDictFile
{
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw InputError.InFile(path, "file not found");
        try
        {
            return Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or JsonException or IOException or InvalidOperationException or FormatException or OverflowException or NotSupportedException)
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
