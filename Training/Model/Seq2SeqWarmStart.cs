using Probing.Training.Pretraining;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// Starts a seq2seq model from a pretrained encoder (Rothe et al. 2020, "Leveraging Pre-trained
/// Checkpoints for Sequence Generation Tasks"): the encoder and the word embeddings are copied; the
/// decoder's self-attention, feed-forward and LayerNorms are copied from the encoder's layers
/// (BERT2BERT, their better variant on summarization) or left random (BERT2RND); cross-attention is
/// always new. A masked-LM output bias, where the encoder's file has one, becomes
/// <c>final_logits_bias</c>: the same role (logits = h·Eᵀ + b), a unigram prior over the vocabulary.
/// </summary>
public static class Seq2SeqWarmStart
{
    public static void FromEncoder(Seq2SeqModel model, Encoder encoder, Tensor? outputBias, DecoderInitialization decoderInit)
    {
        var source = encoder.Config;
        var config = model.Config;
        if (source.HiddenSize != config.DModel || source.NumHiddenLayers != config.EncoderLayers || source.NumAttentionHeads != config.EncoderAttentionHeads
            || source.IntermediateSize != config.EncoderFfnDim || source.VocabSize != config.VocabSize || source.HiddenAct != config.ActivationFunction)
            throw new ArgumentException("the seq2seq encoder's shape differs from the starting encoder's");
        using var _ = no_grad();
        model.WordMatrix.copy_(encoder.Embeddings.WordMatrix);
        model.Encoder.Embeddings.CopyFrom(encoder.Embeddings);
        for (int i = 0; i < config.EncoderLayers; i++) model.Encoder.Layers[i].CopyFrom(encoder.Layers[i]);
        if (outputBias is not null) model.FinalLogitsBias.copy_(outputBias.reshape(1, -1));
        if (decoderInit == DecoderInitialization.Random) return;
        if (config.DecoderAttentionHeads != source.NumAttentionHeads || config.DecoderFfnDim != source.IntermediateSize)
            throw new ArgumentException("a decoder copied from the encoder needs the encoder's heads and feed-forward width");
        model.Decoder.Embeddings.CopyFrom(encoder.Embeddings);
        // A decoder deeper than the encoder starts its extra layers from the encoder's again, bottom up.
        for (int i = 0; i < config.DecoderLayers; i++) model.Decoder.Layers[i].CopyFrom(encoder.Layers[i % config.EncoderLayers]);
    }
}
