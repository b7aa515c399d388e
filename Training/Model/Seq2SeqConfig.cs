using System.Text.Json.Serialization;
using Probing.Training.Infrastructure;

namespace Probing.Training.Model;

/// <summary>
/// Shape of a BART-style encoder–decoder, under Hugging Face <c>BartConfig</c>'s <c>config.json</c> keys,
/// so a workbench seq2seq folder is a Hugging Face BART folder and the other way round. Defaults are
/// the workbench's small model; a Hugging Face file must state the shape keys (see
/// <c>ModelConfigFile</c>), since BartConfig's defaults are bart-large's.
/// </summary>
/// <remarks>
/// What BART fixes rather than configures, and this implementation follows: post-LayerNorm layers
/// (like BERT, unlike mBART), a LayerNorm after the embeddings (<c>layernorm_embedding</c>), LayerNorm
/// ε = 1e-5, learned positions looked up at p + 2, no segment embeddings, and an output projection
/// tied to the shared word embeddings plus a <c>final_logits_bias</c> buffer (1 × V, not trained).
/// </remarks>
public sealed record Seq2SeqConfig
{
    public const string BartModelType = "bart";
    /// <summary>BART's LayerNorm epsilon: PyTorch's default, not a config key.</summary>
    public const double LayerNormEps = 1e-5;

    public string ModelType { get; init; } = BartModelType;
    public int VocabSize { get; init; } = 30522;
    public int DModel { get; init; } = 128;
    public int EncoderLayers { get; init; } = 2;
    public int DecoderLayers { get; init; } = 2;
    public int EncoderAttentionHeads { get; init; } = 2;
    public int DecoderAttentionHeads { get; init; } = 2;
    public int EncoderFfnDim { get; init; } = 512;
    public int DecoderFfnDim { get; init; } = 512;
    /// <summary>Longest input of either stack; the position tables have 2 more rows.</summary>
    public int MaxPositionEmbeddings { get; init; } = 128;
    public double Dropout { get; init; } = 0.1;
    public double AttentionDropout { get; init; } = 0.1;
    public double ActivationDropout { get; init; }
    public string ActivationFunction { get; init; } = "gelu";
    public double InitStd { get; init; } = 0.02;
    public bool ScaleEmbedding { get; init; }
    public int PadTokenId { get; init; } = 1;
    public int BosTokenId { get; init; }
    public int EosTokenId { get; init; } = 2;
    /// <summary>The first decoder input; BART uses its end-of-sequence token (labels are shifted right behind it).</summary>
    public int DecoderStartTokenId { get; init; } = 2;
    /// <summary>
    /// Hugging Face's name of the tokenizer: absent for BART's byte-level BPE (<c>vocab.json</c> +
    /// <c>merges.txt</c>); <c>BertTokenizer</c> for a workbench model built on a WordPiece <c>vocab.txt</c>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TokenizerClass { get; init; }

    public const string WordPieceTokenizerClass = "BertTokenizer";

    [JsonIgnore]
    public bool UsesWordPiece => TokenizerClass == WordPieceTokenizerClass;

    /// <summary>The encoder stack as an <see cref="EncoderConfig"/> (BART names, no segments).</summary>
    [JsonIgnore]
    public EncoderConfig EncoderStack => Stack(EncoderLayers, EncoderAttentionHeads, EncoderFfnDim);

    /// <summary>The decoder stack as an <see cref="EncoderConfig"/>.</summary>
    [JsonIgnore]
    public EncoderConfig DecoderStack => Stack(DecoderLayers, DecoderAttentionHeads, DecoderFfnDim);

    EncoderConfig Stack(int layers, int heads, int ffn) => new()
    {
        ModelType = BartModelType,
        VocabSize = VocabSize,
        HiddenSize = DModel,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        IntermediateSize = ffn,
        MaxPositionEmbeddings = MaxPositionEmbeddings,
        TypeVocabSize = 0,
        HiddenDropoutProb = Dropout,
        AttentionProbsDropoutProb = AttentionDropout,
        ActivationDropout = ActivationDropout,
        LayerNormEps = LayerNormEps,
        HiddenAct = ActivationFunction,
        PadTokenId = PadTokenId,
        InitializerRange = InitStd,
        ScaleEmbedding = ScaleEmbedding,
    };

    /// <summary>Throws an <see cref="InputError"/> naming <paramref name="source"/> and the bad key.</summary>
    public Seq2SeqConfig Validate(string source)
    {
        void Require(bool ok, string key, string expected)
        {
            if (!ok) throw InputError.InFile(source, $"{key}: expected {expected}");
        }
        Require(ModelType == BartModelType, "model_type", BartModelType);
        Require(VocabSize > 0, "vocab_size", "a positive integer");
        Require(DModel > 0, "d_model", "a positive integer");
        Require(EncoderLayers > 0, "encoder_layers", "a positive integer");
        Require(DecoderLayers > 0, "decoder_layers", "a positive integer");
        Require(EncoderAttentionHeads > 0 && DModel % EncoderAttentionHeads == 0, "encoder_attention_heads", $"a divisor of d_model {DModel}");
        Require(DecoderAttentionHeads > 0 && DModel % DecoderAttentionHeads == 0, "decoder_attention_heads", $"a divisor of d_model {DModel}");
        Require(EncoderFfnDim > 0, "encoder_ffn_dim", "a positive integer");
        Require(DecoderFfnDim > 0, "decoder_ffn_dim", "a positive integer");
        Require(MaxPositionEmbeddings > 1, "max_position_embeddings", "an integer > 1");
        Require(Dropout is >= 0 and < 1, "dropout", "a probability in [0, 1)");
        Require(AttentionDropout is >= 0 and < 1, "attention_dropout", "a probability in [0, 1)");
        Require(ActivationDropout is >= 0 and < 1, "activation_dropout", "a probability in [0, 1)");
        Require(Activations.Names.Contains(ActivationFunction), "activation_function", $"one of {string.Join(", ", Activations.Names)}");
        Require(InitStd > 0, "init_std", "a positive number");
        foreach (var (key, id) in new[] { ("pad_token_id", PadTokenId), ("bos_token_id", BosTokenId), ("eos_token_id", EosTokenId), ("decoder_start_token_id", DecoderStartTokenId) })
            Require(id >= 0 && id < VocabSize, key, "an id inside the vocabulary");
        Require(TokenizerClass is null or WordPieceTokenizerClass or "BartTokenizer" or "BartTokenizerFast", "tokenizer_class", $"absent, BartTokenizer or {WordPieceTokenizerClass}");
        return this;
    }
}
