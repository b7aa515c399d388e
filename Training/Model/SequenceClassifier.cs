using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// Encoder (<c>bert.*</c>) plus classification head (<c>classifier.*</c>). Logits are B × outputs;
/// a regression head has one output. The word-embedding entry point lets R3F, SMART and FreeLB
/// perturb the raw word embeddings before positions, LayerNorm and dropout.
/// </summary>
public sealed class SequenceClassifier : ExplicitModule
{
    /// <summary>The name of the word-embedding matrix among the parameters.</summary>
    public const string WordMatrixName = "bert.embeddings.word_embeddings.weight";

    public SequenceClassifier(EncoderConfig config, int outputs, bool spectralNormHead) : base("sequence_classifier")
    {
        Encoder = new Encoder(config);
        Head = new ClassificationHead(config.HiddenSize, outputs, config.HiddenDropoutProb, spectralNormHead);
        register_module("bert", Encoder);
        register_module("classifier", Head);
    }

    public Encoder Encoder { get; }
    public ClassificationHead Head { get; }
    public EncoderConfig Config => Encoder.Config;

    public Tensor Logits(ClassifierBatch batch) => LogitsFromWordEmbeddings(WordEmbeddings(batch), batch);

    public Tensor WordEmbeddings(ClassifierBatch batch) => Encoder.Embeddings.LookUpWords(batch.Ids);

    /// <summary>Logits from (possibly perturbed) word embeddings; the head reads the [CLS] state, so the last layer runs for that position alone.</summary>
    public Tensor LogitsFromWordEmbeddings(Tensor words, ClassifierBatch batch) =>
        Head.forward(Encoder.ClsFromWordEmbeddings(words, batch.TypeIds, batch.AttentionMask));
}

/// <summary>
/// One batch as tensors: ids, type ids, mask (B × T), and the targets — class indices (int64) for
/// classification, scores (float32) for regression.
/// </summary>
public sealed record ClassifierBatch(Tensor Ids, Tensor TypeIds, Tensor AttentionMask, Tensor Targets)
{
    public long Size => Ids.shape[0];
    public bool IsRegression => Targets.dtype == ScalarType.Float32;

    /// <summary>The batch followed by itself (2B rows): one pass over two inputs of the same texts, as R3F's clean and noisy ones.</summary>
    public ClassifierBatch Twice() => new(cat([Ids, Ids]), cat([TypeIds, TypeIds]), cat([AttentionMask, AttentionMask]), cat([Targets, Targets]));
}
