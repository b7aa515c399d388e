using System.Text.Json;
using System.Text.Json.Serialization;
using Probing.Training.Infrastructure;
using Probing.Training.Model;

namespace Probing.Training.Checkpoints;

/// <summary>
/// Reads a model folder's <c>config.json</c>. A file with <c>model_type</c> is a Hugging Face config:
/// the keys that shape the model are read (they are named as in <see cref="EncoderConfig"/> and
/// <see cref="Seq2SeqConfig"/>), the many that do not (architectures, transformers_version, use_cache,
/// generation settings, …) are skipped. A file without it is an older workbench config, read strictly.
/// </summary>
public static class ModelConfigFile
{
    static readonly JsonSerializerOptions Lenient = new(Json.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    /// <summary>Keys whose Hugging Face defaults differ from the workbench's, so a config must state them.</summary>
    static readonly string[] RequiredKeys = ["vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "max_position_embeddings"];

    /// <summary>An encoder's config; for a BART file, its encoder stack's.</summary>
    public static EncoderConfig Read(string path)
    {
        if (!File.Exists(path)) throw InputError.InFile(path, "file not found");
        var text = File.ReadAllText(path);
        if (ModelType(path, text) is not { } modelType) return Json.Deserialize<EncoderConfig>(text, path).Validate(path);
        if (!EncoderConfig.ModelTypes.Contains(modelType))
            throw InputError.InFile(path, $"model_type '{modelType}' is not supported; expected one of {string.Join(", ", EncoderConfig.ModelTypes)}");
        if (modelType == Seq2SeqConfig.BartModelType) return ReadSeq2Seq(path).EncoderStack.Validate(path);
        using var document = JsonDocument.Parse(text);
        foreach (var key in RequiredKeys)
            if (!document.RootElement.TryGetProperty(key, out _)) throw InputError.InFile(path, $"{key}: missing");
        if (document.RootElement.TryGetProperty("position_embedding_type", out var positions) && positions.GetString() != "absolute")
            throw InputError.InFile(path, $"position_embedding_type '{positions.GetString()}' is not supported; expected absolute");
        EncoderConfig config;
        try
        {
            config = JsonSerializer.Deserialize<EncoderConfig>(text, Lenient)!;
        }
        catch (JsonException e)
        {
            throw InputError.InFile(path, $"invalid value{(e.Path is { Length: > 0 } ? $" at {e.Path}" : "")}: {e.Message.Split(" Path:")[0]}");
        }
        return DefaultsOf(modelType, document.RootElement, config).Validate(path);
    }

    /// <summary>Keys whose BartConfig defaults (bart-large's) a small model does not share, so a config must state them.</summary>
    static readonly string[] Seq2SeqRequiredKeys =
        ["vocab_size", "d_model", "encoder_layers", "decoder_layers", "encoder_attention_heads", "decoder_attention_heads", "encoder_ffn_dim", "decoder_ffn_dim", "max_position_embeddings"];

    /// <summary>
    /// Keys of older BART configs (transformers 3, when BartModel also served mBART and Pegasus) with the
    /// only values BART itself has. transformers 4 and later ignore them; a file that sets another value
    /// describes a variant (pre-LayerNorm, a final LayerNorm, sinusoidal positions, …) this
    /// implementation does not compute, so it is refused rather than silently run as BART.
    /// </summary>
    static readonly (string Key, JsonValueKind Value)[] LegacyBartKeys =
    [
        ("normalize_before", JsonValueKind.False), ("add_final_layer_norm", JsonValueKind.False), ("normalize_embedding", JsonValueKind.True),
        ("static_position_embeddings", JsonValueKind.False), ("add_bias_logits", JsonValueKind.False),
    ];

    /// <summary>A BART config (Hugging Face's, or the workbench's, which uses the same keys).</summary>
    public static Seq2SeqConfig ReadSeq2Seq(string path)
    {
        if (!File.Exists(path)) throw InputError.InFile(path, "file not found");
        var text = File.ReadAllText(path);
        var modelType = ModelType(path, text);
        if (modelType != Seq2SeqConfig.BartModelType)
            throw InputError.InFile(path, $"model_type {(modelType is null ? "missing" : $"'{modelType}'")}: a sequence-to-sequence model needs model_type bart");
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        foreach (var key in Seq2SeqRequiredKeys)
            if (!root.TryGetProperty(key, out _)) throw InputError.InFile(path, $"{key}: missing");
        foreach (var (key, value) in LegacyBartKeys)
            if (root.TryGetProperty(key, out var actual) && actual.ValueKind != value)
                throw InputError.InFile(path, $"{key}: {actual.GetRawText()} describes a BART variant this implementation does not compute (BART has {(value == JsonValueKind.True ? "true" : "false")})");
        if (root.TryGetProperty("extra_pos_embeddings", out var extra) && (!extra.TryGetInt32(out var offset) || offset != 2))
            throw InputError.InFile(path, $"extra_pos_embeddings: {extra.GetRawText()} is not BART's position offset 2");
        Seq2SeqConfig config;
        try
        {
            config = JsonSerializer.Deserialize<Seq2SeqConfig>(text, Lenient)!;
        }
        catch (JsonException e)
        {
            throw InputError.InFile(path, $"invalid value{(e.Path is { Length: > 0 } ? $" at {e.Path}" : "")}: {e.Message.Split(" Path:")[0]}");
        }
        // BartConfig's default where the workbench's differs.
        if (!root.TryGetProperty("attention_dropout", out _)) config = config with { AttentionDropout = 0 };
        return config.Validate(path);
    }

    /// <summary>The <c>model_type</c> of a config file, or null for a workbench config without one.</summary>
    public static string? ReadModelType(string path) => ModelType(path, File.ReadAllText(path));

    static string? ModelType(string path, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw InputError.InFile(path, "expected a JSON object");
            if (!document.RootElement.TryGetProperty("model_type", out var type)) return null;
            return type.ValueKind == JsonValueKind.String ? type.GetString() : throw InputError.InFile(path, "model_type: expected a string");
        }
        catch (JsonException e)
        {
            throw InputError.InFile(path, $"invalid JSON: {e.Message.Split(" Path:")[0]}");
        }
    }

    /// <summary>Hugging Face's defaults for keys a config may leave out where the workbench's differ.</summary>
    static EncoderConfig DefaultsOf(string modelType, JsonElement root, EncoderConfig config)
    {
        bool Has(string key) => root.TryGetProperty(key, out _);
        if (!Has("type_vocab_size")) config = config with { TypeVocabSize = 2 };
        if (!Has("pad_token_id")) config = config with { PadTokenId = modelType == "roberta" ? 1 : 0 };
        return config;
    }
}
