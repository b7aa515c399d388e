using Probing.Training.Infrastructure;
using Probing.Training.Model;

namespace Probing.Training.Checkpoints;

/// <summary>
/// Writes a model folder's encoder as a Hugging Face <c>BertModel</c> / <c>RobertaModel</c> folder:
/// a config.json with the keys transformers reads, the encoder's tensors under their Hugging Face
/// names without a prefix, and the tokenizer files copied unchanged. A seq2seq folder becomes a
/// <c>BartForConditionalGeneration</c> folder: every tensor under BART's names (the shared embedding
/// once, as transformers saves tied weights) and BartConfig's keys.
/// </summary>
public static class HfExport
{
    public static void Write(ModelFolder source, string directory)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
            throw InputError.InFile(Path.GetFullPath(directory), "folder is not empty; choose another --out");
        Directory.CreateDirectory(directory);
        if (source.IsSeq2Seq)
        {
            using var model = source.LoadSeq2Seq();
            StateDictFile.Write(Path.Combine(directory, EncoderCheckpoint.WeightsFile), model.state_dict());
            Json.Write(Path.Combine(directory, EncoderCheckpoint.ConfigFile), ConfigOf(model.Config));
        }
        else
        {
            using var encoder = source.LoadEncoder();
            StateDictFile.Write(Path.Combine(directory, EncoderCheckpoint.WeightsFile), encoder.state_dict());
            Json.Write(Path.Combine(directory, EncoderCheckpoint.ConfigFile), ConfigOf(source.ReadConfig()));
        }
        foreach (var file in source.ContentFiles.Skip(2))
            File.Copy(source.File(file), Path.Combine(directory, file));
    }

    /// <summary>Hugging Face's config keys, in the order transformers writes them.</summary>
    static Dictionary<string, object> ConfigOf(EncoderConfig config) => new()
    {
        ["architectures"] = new[] { config.ModelType == "roberta" ? "RobertaModel" : "BertModel" },
        ["model_type"] = config.ModelType,
        ["attention_probs_dropout_prob"] = config.AttentionProbsDropoutProb,
        ["hidden_act"] = config.HiddenAct,
        ["hidden_dropout_prob"] = config.HiddenDropoutProb,
        ["hidden_size"] = config.HiddenSize,
        ["initializer_range"] = config.InitializerRange,
        ["intermediate_size"] = config.IntermediateSize,
        ["layer_norm_eps"] = config.LayerNormEps,
        ["max_position_embeddings"] = config.MaxPositionEmbeddings,
        ["num_attention_heads"] = config.NumAttentionHeads,
        ["num_hidden_layers"] = config.NumHiddenLayers,
        ["pad_token_id"] = config.PadTokenId,
        ["position_embedding_type"] = "absolute",
        ["torch_dtype"] = "float32",
        ["type_vocab_size"] = config.TypeVocabSize,
        ["vocab_size"] = config.VocabSize,
    };

    /// <summary>BartConfig's keys: the workbench's own (its config.json already uses them) plus what transformers expects beside them.</summary>
    static Dictionary<string, object> ConfigOf(Seq2SeqConfig config)
    {
        var keys = new Dictionary<string, object>
        {
            ["architectures"] = new[] { "BartForConditionalGeneration" },
            ["is_encoder_decoder"] = true,
            ["forced_eos_token_id"] = config.EosTokenId,
            ["torch_dtype"] = "float32",
        };
        using var document = System.Text.Json.JsonDocument.Parse(Json.Serialize(config));
        foreach (var property in document.RootElement.EnumerateObject()) keys[property.Name] = property.Value.Clone();
        return keys;
    }
}
