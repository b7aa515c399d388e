using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// Encoder (<c>bert.*</c>) plus classification head (<c>classifier.*</c>). Logits are B × outputs;
/// a regression head has one output. The word-embedding entry point lets R3F, SMART and FreeLB
/// perturb the raw word embeddings before positions, LayerNorm and dropout.
/// </summary>
public sealed class SequenceClassifier : ExplicitModule
{
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

    public Tensor LogitsFromWordEmbeddings(Tensor words, ClassifierBatch batch)
    {
        var output = Encoder.ForwardFromWordEmbeddings(words, batch.TypeIds, batch.AttentionMask);
        return Head.forward(Pooling.Cls.Pool(output.Last, batch.AttentionMask));
    }
}

/// <summary>
/// One batch as tensors: ids, type ids, mask (B × T), and the targets — class indices (int64) for
/// classification, scores (float32) for regression.
/// </summary>
public sealed record ClassifierBatch(Tensor Ids, Tensor TypeIds, Tensor AttentionMask, Tensor Targets)
{
    public long Size => Ids.shape[0];
    public bool IsRegression => Targets.dtype == ScalarType.Float32;
}
