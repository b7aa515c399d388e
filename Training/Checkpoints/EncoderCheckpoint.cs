using Probing.Training.Infrastructure;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Checkpoints;

/// <summary>
/// A model folder: <c>config.json</c> (the <see cref="EncoderConfig"/>) + <c>model.safetensors</c>.
/// Tensor names are Hugging Face's; an encoder inside a masked-LM checkpoint lives under <c>bert.</c>.
/// </summary>
public static class EncoderCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";

    public static void Save(string directory, EncoderConfig config, nn.Module model)
    {
        Directory.CreateDirectory(directory);
        StateDictFile.Write(Path.Combine(directory, WeightsFile), model.state_dict());
        Json.Write(Path.Combine(directory, ConfigFile), config);
    }

    public static EncoderConfig ReadConfig(string directory)
    {
        var path = Path.Combine(directory, ConfigFile);
        return Json.Read<EncoderConfig>(path).Validate(path);
    }

    /// <summary>Loads the encoder of a checkpoint (a plain encoder or the <c>bert.</c> part of a masked-LM one).</summary>
    public static Encoder LoadEncoder(string directory)
    {
        var config = ReadConfig(directory);
        var encoder = new Encoder(config);
        var path = Path.Combine(directory, WeightsFile);
        var tensors = StateDictFile.Read(path);
        var prefix = tensors.Keys.Any(k => k.StartsWith("bert.", StringComparison.Ordinal)) ? "bert." : "";
        ModuleState.Load(encoder, tensors, path, prefix, ignoreOutsidePrefix: prefix.Length > 0);
        DisposeAll(tensors);
        return encoder;
    }

    public static MaskedLanguageModel LoadMaskedLanguageModel(string directory)
    {
        var config = ReadConfig(directory);
        var model = new MaskedLanguageModel(config);
        var path = Path.Combine(directory, WeightsFile);
        var tensors = StateDictFile.Read(path);
        ModuleState.Load(model, tensors, path);
        DisposeAll(tensors);
        return model;
    }

    static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var tensor in tensors.Values) tensor.Dispose();
    }
}
