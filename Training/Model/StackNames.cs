namespace Probing.Training.Model;

/// <summary>Where an attention block's projections sit, relative to the block.</summary>
public sealed record AttentionNames(string Query, string Key, string Value, string Output);

/// <summary>Where each piece of a transformer layer sits, relative to the layer.</summary>
public sealed record LayerNames(
    string SelfAttention, string SelfAttentionNorm,
    string CrossAttention, string CrossAttentionNorm,
    AttentionNames Attention,
    string Intermediate, string Output, string OutputNorm);

/// <summary>
/// The Hugging Face tensor names of an encoder or decoder stack, so that one implementation of the
/// computation loads and saves BERT, RoBERTa and BART checkpoints by name. The computation is the
/// same post-LayerNorm transformer in all three; only the names and the embedding details differ.
/// </summary>
public sealed record StackNames(string Words, string Positions, string? Segments, string EmbeddingNorm, string Layers, LayerNames Layer)
{
    /// <summary><c>BertModel</c>: <c>embeddings.*</c>, <c>encoder.layer.N.attention.self.query</c>, … (RoBERTa's too).</summary>
    public static readonly StackNames Bert = new(
        "embeddings.word_embeddings", "embeddings.position_embeddings", "embeddings.token_type_embeddings", "embeddings.LayerNorm",
        "encoder.layer",
        new LayerNames(
            SelfAttention: "attention", SelfAttentionNorm: "attention.output.LayerNorm",
            CrossAttention: "crossattention", CrossAttentionNorm: "crossattention.output.LayerNorm",
            new AttentionNames("self.query", "self.key", "self.value", "output.dense"),
            Intermediate: "intermediate.dense", Output: "output.dense", OutputNorm: "output.LayerNorm"));

    /// <summary><c>BartEncoder</c> / <c>BartDecoder</c>: <c>embed_positions</c>, <c>layers.N.self_attn.q_proj</c>, <c>layers.N.encoder_attn.*</c>, …</summary>
    public static readonly StackNames Bart = new(
        "embed_tokens", "embed_positions", null, "layernorm_embedding",
        "layers",
        new LayerNames(
            SelfAttention: "self_attn", SelfAttentionNorm: "self_attn_layer_norm",
            CrossAttention: "encoder_attn", CrossAttentionNorm: "encoder_attn_layer_norm",
            new AttentionNames("q_proj", "k_proj", "v_proj", "out_proj"),
            Intermediate: "fc1", Output: "fc2", OutputNorm: "final_layer_norm"));

    public static StackNames For(string modelType) => modelType == "bart" ? Bart : Bert;
}
