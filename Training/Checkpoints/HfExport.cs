using System.Buffers.Binary;

using System.Text.Json.Nodes;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Checkpoints;

/// <summary>
/// A classification head in Hugging Face's form: <c>dense</c> (hidden → hidden, then tanh) and the
/// output projection (hidden → outputs) as plain linear layers (a spectrally normalised projection
/// already divided by its σ), and the label names (empty for regression).
/// </summary>
public sealed record HfClassificationHead(IReadOnlyList<string> Labels, Tensor DenseWeight, Tensor DenseBias, Tensor OutWeight, Tensor OutBias)
{
    public bool IsRegression => Labels.Count == 0;
}

/// <summary>
/// Writes a model folder's encoder as a Hugging Face folder that <c>transformers</c> loads: a base
/// encoder as <c>BertModel</c> / <c>RobertaModel</c> (tensors under their Hugging Face names without a
/// prefix), a fine-tuned one with its head as <c>BertForSequenceClassification</c> /
/// <c>RobertaForSequenceClassification</c> (<c>bert.</c>/<c>roberta.</c> prefix; BERT's head is its
/// pooler and <c>classifier</c>, RoBERTa's <c>classifier.dense</c>/<c>out_proj</c>; <c>id2label</c>,
/// <c>label2id</c>). The safetensors header carries <c>__metadata__ {"format": "pt"}</c> (several
/// transformers versions refuse a file without it); the tokenizer files are copied unchanged, with
/// <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> beside them. The folder is written
/// under a temporary name and renamed into place, so it is whole or absent. A seq2seq folder becomes a
/// <c>BartForConditionalGeneration</c> folder: every tensor under BART's names (the shared embedding
/// once, as transformers saves tied weights) and BartConfig's keys.
/// </summary>
public static class HfExport
{
    public const string TokenizerConfigFile = "tokenizer_config.json", SpecialTokensFile = "special_tokens_map.json";

    /// <param name="head">The fine-tuned head to export with the encoder; null for a bare encoder.</param>
    /// <returns>False if <paramref name="directory"/> already held exactly this export (nothing was changed).</returns>
    public static bool Write(ModelFolder source, string directory, HfClassificationHead? head = null)
    {
        var target = Path.GetFullPath(directory);
        if (File.Exists(target)) throw InputError.InFile(target, "is a file; choose another --out");
        var staging = AtomicFile.TempName(target);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        try
        {
            Directory.CreateDirectory(staging);
            WriteWeightsAndConfig(source, staging, head);
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

    static void WriteWeightsAndConfig(ModelFolder source, string directory, HfClassificationHead? head)
    {
        var weights = Path.Combine(directory, EncoderCheckpoint.WeightsFile);
        if (source.IsSeq2Seq)
        {
            using var model = source.LoadSeq2Seq();
            StateDictFile.Write(weights, model.state_dict());
            AddFormatMetadata(weights);
            Json.Write(Path.Combine(directory, EncoderCheckpoint.ConfigFile), ConfigOf(model.Config));
            return;
        }
        var config = source.ReadConfig();
        using var encoder = source.LoadEncoder();
        StateDictFile.Write(weights, head is null ? encoder.state_dict() : ClassifierTensors(config, encoder, head));
        AddFormatMetadata(weights);
        Json.Write(Path.Combine(directory, EncoderCheckpoint.ConfigFile), head is null ? ConfigOf(config) : ClassifierConfigOf(config, head));
        Json.Write(Path.Combine(directory, TokenizerConfigFile), TokenizerConfigOf(config));
        Json.Write(Path.Combine(directory, SpecialTokensFile), SpecialTokensOf(config));
    }

    static bool SameFiles(string a, string b)
    {
        var names = Directory.GetFileSystemEntries(a).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        return names.SequenceEqual(Directory.GetFileSystemEntries(b).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            && names.All(name => File.Exists(Path.Combine(b, name!)) && File.ReadAllBytes(Path.Combine(a, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, name!))));
    }

    /// <summary>The encoder under <c>bert.</c>/<c>roberta.</c> and the head under Hugging Face's names for the model type.</summary>
    static Dictionary<string, Tensor> ClassifierTensors(EncoderConfig config, Encoder encoder, HfClassificationHead head)
    {
        var prefix = config.ModelType + ".";
        var tensors = encoder.state_dict().ToDictionary(kv => prefix + kv.Key, kv => kv.Value);
        if (config.ModelType == "roberta")
        {
            tensors["classifier.dense.weight"] = head.DenseWeight;
            tensors["classifier.dense.bias"] = head.DenseBias;
            tensors["classifier.out_proj.weight"] = head.OutWeight;
            tensors["classifier.out_proj.bias"] = head.OutBias;
        }
        else
        {
            // BertForSequenceClassification: classifier(dropout(tanh(pooler.dense(h_CLS)))), the workbench head's computation.
            tensors["bert.pooler.dense.weight"] = head.DenseWeight;
            tensors["bert.pooler.dense.bias"] = head.DenseBias;
            tensors["classifier.weight"] = head.OutWeight;
            tensors["classifier.bias"] = head.OutBias;
        }
        return tensors;
    }

    /// <summary>
    /// Rewrites a safetensors file with <c>"__metadata__": {"format": "pt"}</c> first in its header (padded
    /// with spaces to 8 bytes, as the format allows); data offsets are relative to the data, so they stay.
    /// </summary>
    public static void AddFormatMetadata(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        var header = JsonNode.Parse(System.Text.Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        var rewritten = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        foreach (var (name, entry) in header.ToList())
            if (name != "__metadata__") rewritten[name] = entry?.DeepClone();
        var text = System.Text.Encoding.UTF8.GetBytes(rewritten.ToJsonString());
        var padded = text.Length + (-text.Length & 7);
        AtomicFile.Write(path, temp =>
        {
            using var stream = File.Create(temp);
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)padded);
            stream.Write(prefix);
            stream.Write(text);
            for (var i = text.Length; i < padded; i++) stream.WriteByte((byte)' ');
            stream.Write(bytes.AsSpan(8 + length));
        });
    }

    static Dictionary<string, object> ClassifierConfigOf(EncoderConfig config, HfClassificationHead head)
    {
        var labels = head.IsRegression ? ["LABEL_0"] : head.Labels;
        var result = ConfigOf(config);
        result["architectures"] = new[] { config.ModelType == "roberta" ? "RobertaForSequenceClassification" : "BertForSequenceClassification" };
        result["id2label"] = labels.Select((label, i) => (label, i)).ToDictionary(p => p.i.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.label);
        result["label2id"] = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i);
        result["num_labels"] = labels.Count;
        result["problem_type"] = head.IsRegression ? "regression" : "single_label_classification";
        result["classifier_dropout"] = null!;
        return result;
    }

    /// <summary>What transformers' <c>AutoTokenizer</c> reads: the class, lower-casing (the workbench's WordPiece is BERT's uncased one) and the longest input.</summary>
    static Dictionary<string, object> TokenizerConfigOf(EncoderConfig config) => config.ModelType == "roberta"
        ? new()
        {
            ["tokenizer_class"] = "RobertaTokenizer",
            ["model_max_length"] = config.MaxSequenceLength,
            ["add_prefix_space"] = false,
            ["errors"] = "replace",
            ["bos_token"] = "<s>", ["eos_token"] = "</s>", ["sep_token"] = "</s>", ["cls_token"] = "<s>",
            ["unk_token"] = "<unk>", ["pad_token"] = "<pad>", ["mask_token"] = "<mask>",
        }
        : new()
        {
            ["tokenizer_class"] = "BertTokenizer",
            ["do_lower_case"] = true,
            ["strip_accents"] = null!,
            ["tokenize_chinese_chars"] = true,
            ["model_max_length"] = config.MaxSequenceLength,
            ["unk_token"] = "[UNK]", ["sep_token"] = "[SEP]", ["pad_token"] = "[PAD]", ["cls_token"] = "[CLS]", ["mask_token"] = "[MASK]",
        };

    static Dictionary<string, string> SpecialTokensOf(EncoderConfig config) => config.ModelType == "roberta"
        ? new() { ["bos_token"] = "<s>", ["eos_token"] = "</s>", ["unk_token"] = "<unk>", ["sep_token"] = "</s>", ["pad_token"] = "<pad>", ["cls_token"] = "<s>", ["mask_token"] = "<mask>" }
        : new() { ["unk_token"] = "[UNK]", ["sep_token"] = "[SEP]", ["pad_token"] = "[PAD]", ["cls_token"] = "[CLS]", ["mask_token"] = "[MASK]" };

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
