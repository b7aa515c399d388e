using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// BERT's initialisation: N(0, range) weights, zero biases, unit LayerNorm, zero padding row.
/// It also keeps the backward pass free of denormal floats, which an N(0, 1) tied embedding causes.
/// </summary>
public static class Initialization
{
    public static void Apply(nn.Module model, EncoderConfig config, int seed) => Apply(model, config.InitializerRange, config.PadTokenId, seed);

    /// <summary>BART's initialisation is the same (N(0, init_std), zero biases and padding row); <c>final_logits_bias</c> stays zero.</summary>
    public static void Apply(Seq2SeqModel model, int seed) => Apply(model, model.Config.InitStd, model.Config.PadTokenId, seed);

    static void Apply(nn.Module model, double std, int padTokenId, int seed)
    {
        using var _ = no_grad();
        using var generator = new Generator((ulong)seed);
        foreach (var module in model.modules())
        {
            switch (module)
            {
                case Linear linear:
                    Normal(linear.weight!, std, generator);
                    if (linear.bias is { } bias) bias.zero_();
                    break;
                case Embedding embedding:
                    Normal(embedding.weight!, std, generator);
                    break;
                case LayerNorm norm:
                    norm.weight!.fill_(1);
                    norm.bias!.zero_();
                    break;
            }
        }
        if (model is MaskedLanguageModel or Encoder or Seq2SeqModel)
            WordMatrixOf(model)[padTokenId].zero_();
    }

    /// <summary>
    /// Fills with N(0, std²) drawn from <paramref name="generator"/>. (TorchSharp 0.107's
    /// <c>nn.init.normal_</c> ignores its generator argument and would draw from the global one.)
    /// </summary>
    static void Normal(Tensor target, double std, Generator generator)
    {
        using var draw = randn(target.shape, generator: generator);   // device: CPU generator (the same weights on every device), copied
        target.copy_(draw.mul_(std));
    }

    static Parameter WordMatrixOf(nn.Module model) => model switch
    {
        MaskedLanguageModel mlm => mlm.Encoder.Embeddings.WordMatrix,
        Encoder encoder => encoder.Embeddings.WordMatrix,
        Seq2SeqModel seq2seq => seq2seq.WordMatrix,
        _ => throw new ArgumentException("no word embeddings", nameof(model)),
    };
}
