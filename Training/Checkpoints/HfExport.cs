using Probing.Training.Infrastructure;
using Probing.Training.Model;

namespace Probing.Training.Checkpoints;

/// <summary>
/// Writes a model folder's encoder as a Hugging Face <c>BertModel</c> / <c>RobertaModel</c> folder:
/// a config.json with the keys transformers reads, the encoder's tensors under their Hugging Face
/// names without a prefix, and the tokenizer files copied unchanged. A seq2seq folder becomes a
/// <c>BartForConditionalGeneration</c> folder: every tensor under BART's names (the shared embedding
/// once, as transformers saves tied weights) and BartConfig's keys. The folder is written under a
/// temporary name and renamed into place, so it is whole or absent.
/// </summary>
public static class HfExport
{
    /// <returns>False if <paramref name="directory"/> already held exactly this export (nothing was changed).</returns>
    public static bool Write(ModelFolder source, string directory)
    {
        var target = Path.GetFullPath(directory);
        if (File.Exists(target)) throw InputError.InFile(target, "is a file; choose another --out");
        var staging = AtomicFile.TempName(target);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        try
        {
            Directory.CreateDirectory(staging);
            WriteWeightsAndConfig(source, staging);
            foreach (var file in source.ContentFiles.Skip(2))
                File.Copy(source.File(file), Path.Combine(staging, file));
            if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            {
                if (SameFiles(staging, target)) return false;
                throw InputError.InFile(target, "folder is not empty (and holds something other than this export); choose another --out");
            }
            if (Directory.Exists(target)) Directory.Delete(target);
            Directory.Move(staging, target);
            Posix.FsyncDirectory(Path.GetDirectoryName(target)!);
            return true;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    static void WriteWeightsAndConfig(ModelFolder source, string directory)
    {
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
    }

    static bool SameFiles(string a, string b)
    {
        var names = Directory.GetFileSystemEntries(a).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        return names.SequenceEqual(Directory.GetFileSystemEntries(b).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            && names.All(name => File.Exists(Path.Combine(b, name!)) && File.ReadAllBytes(Path.Combine(a, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, name!))));
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
