using Probing.Training.Infrastructure;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Checkpoints;

/// <summary>
/// A model folder: <c>config.json</c> (the <see cref="EncoderConfig"/>) + <c>model.safetensors</c>.
/// Tensor names are Hugging Face's, so the same loader reads the workbench's own checkpoints and
/// Hugging Face BERT/RoBERTa ones (see <see cref="HfTensorNames"/>).
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

    public static EncoderConfig ReadConfig(string directory) => ModelConfigFile.Read(Path.Combine(directory, ConfigFile));

    /// <summary>
    /// Loads the encoder of a checkpoint (a bare encoder, or the encoder inside a model with a task
    /// head). The file's header is checked against config.json before any tensor is read, so a
    /// damaged or mismatched file is a one-line error naming it; F16 and BF16 weights become float32.
    /// </summary>
    public static Encoder LoadEncoder(string directory)
    {
        var config = ReadConfig(directory);
        var path = Path.Combine(directory, WeightsFile);
        var header = SafetensorsHeader.Read(path).ToDictionary(e => e.Name, StringComparer.Ordinal);
        var encoder = new Encoder(config);
        try
        {
            var expected = encoder.state_dict();
            var mapping = HfTensorNames.Map(header.Keys, config.ModelType, expected.Keys, path);
            foreach (var (name, fileName) in mapping)
            {
                var entry = header[fileName];
                if (!SafetensorsHeader.FloatDTypes.Contains(entry.DType))
                    throw InputError.InFile(path, $"tensor {fileName} has dtype {entry.DType}; supported: {string.Join(", ", SafetensorsHeader.FloatDTypes)}");
                if (!entry.Shape.SequenceEqual(expected[name].shape))
                    throw InputError.InFile(path, $"tensor {fileName} has shape [{string.Join(", ", entry.Shape)}] but config.json implies [{string.Join(", ", expected[name].shape)}]");
            }
            var tensors = StateDictFile.Read(path);
            try
            {
                ModuleState.Load(encoder, mapping.ToDictionary(kv => kv.Key, kv => tensors[kv.Value]), path);
            }
            finally
            {
                DisposeAll(tensors);
            }
            return encoder;
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
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
