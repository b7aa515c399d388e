using System.Text.Json.Serialization;
using Probing.Training.Infrastructure;

namespace Probing.Training.Model;

/// <summary>
/// Shape of a BERT-style encoder. The JSON keys are Hugging Face's <c>config.json</c> names, so a
/// workbench checkpoint's config reads like a BERT one. A BART model's encoder and decoder stacks are
/// described by the same record (<see cref="Seq2SeqConfig.EncoderStack"/>, <see cref="Seq2SeqConfig.DecoderStack"/>),
/// never written as such: BART folders hold a <see cref="Seq2SeqConfig"/>.
/// </summary>
public sealed record EncoderConfig
{
    /// <summary>
    /// The architectures this encoder implements. BERT and RoBERTa differ only in position ids (see
    /// <see cref="Embeddings"/>); BART's encoder also has no segment embeddings, offsets its positions
    /// by 2, and names its tensors differently (<see cref="StackNames"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> ModelTypes = ["bert", "roberta", "bart"];

    public string ModelType { get; init; } = "bert";
    public int VocabSize { get; init; } = 30522;
    public int HiddenSize { get; init; } = 128;
    public int NumHiddenLayers { get; init; } = 2;
    public int NumAttentionHeads { get; init; } = 2;
    public int IntermediateSize { get; init; } = 512;
    public int MaxPositionEmbeddings { get; init; } = 128;
    public int TypeVocabSize { get; init; } = 2;
    public double HiddenDropoutProb { get; init; } = 0.1;
    public double AttentionProbsDropoutProb { get; init; } = 0.1;
    public double LayerNormEps { get; init; } = 1e-12;
    public string HiddenAct { get; init; } = "gelu";
    public int PadTokenId { get; init; }
    public double InitializerRange { get; init; } = 0.02;
    /// <summary>Dropout after the feed-forward activation (BART's <c>activation_dropout</c>; BERT has none).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double ActivationDropout { get; init; }
    /// <summary>Word embeddings multiplied by √hidden_size (BART's <c>scale_embedding</c>; false for BERT and bart-base).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ScaleEmbedding { get; init; }

    public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>BART looks position p up in row p + 2 of its table (a fairseq legacy); the table has that many extra rows.</summary>
    [JsonIgnore]
    public int PositionOffset => ModelType == "bart" ? 2 : 0;

    /// <summary>Whether the embeddings add a segment (token type) vector: BART's have none.</summary>
    [JsonIgnore]
    public bool HasSegments => ModelType != "bart";

    /// <summary>RoBERTa numbers positions from <c>pad_token_id + 1</c> and gives padding the position <c>pad_token_id</c>.</summary>
    public bool PositionsAfterPadding => ModelType == "roberta";

    /// <summary>The longest input the position table covers (RoBERTa's first pad_token_id + 1 rows are never used by real tokens).</summary>
    public int MaxSequenceLength => PositionsAfterPadding ? MaxPositionEmbeddings - PadTokenId - 1 : MaxPositionEmbeddings;

    /// <summary>Throws an <see cref="InputError"/> naming <paramref name="source"/> and the bad key.</summary>
    public EncoderConfig Validate(string source)
    {
        void Require(bool ok, string key, string expected)
        {
            if (!ok) throw InputError.InFile(source, $"{key}: expected {expected}");
        }
        Require(ModelTypes.Contains(ModelType), "model_type", $"one of {string.Join(", ", ModelTypes)}");
        Require(VocabSize > 0, "vocab_size", "a positive integer");
        Require(HiddenSize > 0, "hidden_size", "a positive integer");
        Require(NumHiddenLayers > 0, "num_hidden_layers", "a positive integer");
        Require(NumAttentionHeads > 0 && HiddenSize % NumAttentionHeads == 0, "num_attention_heads", $"a divisor of hidden_size {HiddenSize}");
        Require(IntermediateSize > 0, "intermediate_size", "a positive integer");
        Require(MaxPositionEmbeddings > 1, "max_position_embeddings", "an integer > 1");
        Require(HasSegments ? TypeVocabSize > 0 : TypeVocabSize == 0, "type_vocab_size", HasSegments ? "a positive integer" : "0 (no segment embeddings)");
        Require(HiddenDropoutProb is >= 0 and < 1, "hidden_dropout_prob", "a probability in [0, 1)");
        Require(AttentionProbsDropoutProb is >= 0 and < 1, "attention_probs_dropout_prob", "a probability in [0, 1)");
        Require(ActivationDropout is >= 0 and < 1, "activation_dropout", "a probability in [0, 1)");
        Require(LayerNormEps > 0, "layer_norm_eps", "a positive number");
        Require(Activations.Names.Contains(HiddenAct), "hidden_act", $"one of {string.Join(", ", Activations.Names)}");
        Require(PadTokenId >= 0 && PadTokenId < VocabSize, "pad_token_id", "an id inside the vocabulary");
        return this;
    }
}
