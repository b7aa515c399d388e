using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// Word + position + segment embeddings, then LayerNorm and dropout. The word lookup is exposed
/// on its own so that R3F, SMART and FreeLB can perturb word embeddings before the rest applies.
/// </summary>
public sealed class Embeddings : ExplicitModule
{
    readonly Embedding words, positions, segments;
    readonly LayerNorm norm;
    readonly Dropout dropout;

    public Embeddings(EncoderConfig config) : base("embeddings")
    {
        words = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        positions = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        segments = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        register_module("word_embeddings", words);
        register_module("position_embeddings", positions);
        register_module("token_type_embeddings", segments);
        register_module("LayerNorm", norm);
        register_module("dropout", dropout);
    }

    /// <summary>The word-embedding matrix (V × H), shared with the masked-LM decoder.</summary>
    public Parameter WordMatrix => words.weight!;

    public Tensor LookUpWords(Tensor inputIds) => words.forward(inputIds);

    /// <summary>Adds positions and segments to (possibly perturbed) word embeddings B × T × H.</summary>
    public Tensor Complete(Tensor wordEmbeddings, Tensor tokenTypeIds)
    {
        var length = wordEmbeddings.shape[1];
        using var positionIds = arange(length, dtype: int64, device: wordEmbeddings.device);
        var sum = wordEmbeddings + positions.forward(positionIds) + segments.forward(tokenTypeIds);
        return dropout.forward(norm.forward(sum));
    }
}
