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

    /// <summary>Writes a model folder's weights and config.json (an <see cref="EncoderConfig"/>, or a <see cref="Seq2SeqConfig"/> for a seq2seq model).</summary>
    public static void Save<TConfig>(string directory, TConfig config, nn.Module model)
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
        if (config.ModelType == Seq2SeqConfig.BartModelType) return Seq2SeqCheckpoint.LoadEncoder(directory);
        var path = Path.Combine(directory, WeightsFile);
        var header = SafetensorsHeader.Read(path).ToDictionary(e => e.Name, StringComparer.Ordinal);
        var encoder = new Encoder(config);
        try
        {
            var mapping = HfTensorNames.Map(header.Keys, config.ModelType, encoder.state_dict().Keys, path);
            LoadMapped(encoder, mapping, header, path);
            return encoder;
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks every mapped tensor's dtype and shape in the file's header against the module before any
    /// tensor is read, then loads them (F16 and BF16 become float32).
    /// </summary>
    /// <param name="mapping">Module tensor name → the file's tensor name.</param>
    /// <param name="notInFile">Values of the module's tensors the file does not have (mapping and these cover the module).</param>
    internal static void LoadMapped(nn.Module module, IReadOnlyDictionary<string, string> mapping, IReadOnlyDictionary<string, SafetensorsEntry> header, string path,
        IReadOnlyDictionary<string, Tensor>? notInFile = null)
    {
        var expected = module.state_dict();
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
            var values = mapping.ToDictionary(kv => kv.Key, kv => tensors[kv.Value]);
            foreach (var (name, value) in notInFile ?? new Dictionary<string, Tensor>()) values[name] = value;
            ModuleState.Load(module, values, path);
        }
        finally
        {
            DisposeAll(tensors);
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
