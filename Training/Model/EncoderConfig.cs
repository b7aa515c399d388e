using Probing.Training.Infrastructure;

namespace Probing.Training.Model;

/// <summary>
/// Shape of a BERT-style encoder. The JSON keys are Hugging Face's <c>config.json</c> names, so a
/// workbench checkpoint's config reads like a BERT one.
/// </summary>
public sealed record EncoderConfig
{
    /// <summary>The architectures this encoder implements: they differ only in position ids (see <see cref="Embeddings"/>).</summary>
    public static readonly IReadOnlyList<string> ModelTypes = ["bert", "roberta"];

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

    public int HeadSize => HiddenSize / NumAttentionHeads;

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
        Require(TypeVocabSize > 0, "type_vocab_size", "a positive integer");
        Require(HiddenDropoutProb is >= 0 and < 1, "hidden_dropout_prob", "a probability in [0, 1)");
        Require(AttentionProbsDropoutProb is >= 0 and < 1, "attention_probs_dropout_prob", "a probability in [0, 1)");
        Require(LayerNormEps > 0, "layer_norm_eps", "a positive number");
        Require(Activations.Names.Contains(HiddenAct), "hidden_act", $"one of {string.Join(", ", Activations.Names)}");
        Require(PadTokenId >= 0 && PadTokenId < VocabSize, "pad_token_id", "an id inside the vocabulary");
        return this;
    }
}
