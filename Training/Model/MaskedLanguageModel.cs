using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// Encoder plus BERT's masked-LM head (<c>cls.predictions.*</c>), whose decoder is tied to the word
/// embeddings. The head runs on the masked positions only: the full-vocabulary projection of every
/// position would be most of a pretraining step's cost.
/// </summary>
public sealed class MaskedLanguageModel : ExplicitModule
{
    readonly Linear transform;
    readonly LayerNorm transformNorm;
    readonly nn.Module predictions;
    readonly Func<Tensor, Tensor> activation;

    public MaskedLanguageModel(EncoderConfig config) : base("masked_lm")
    {
        Encoder = new Encoder(config);
        transform = nn.Linear(config.HiddenSize, config.HiddenSize);
        transformNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        activation = Activations.Get(config.HiddenAct);

        register_module("bert", Encoder);
        RegisterAt("cls.predictions.transform.dense", transform);
        RegisterAt("cls.predictions.transform.LayerNorm", transformNorm);
        RegisterParameterAt("cls.predictions.bias", nn.Parameter(zeros(config.VocabSize)));   // device: moved by Module.to
        predictions = named_modules().First(m => m.name == "cls.predictions").module;
    }

    public Encoder Encoder { get; }

    /// <summary>Vocabulary logits (N × V) for the N positions where <paramref name="maskedPositions"/> is true.</summary>
    public Tensor PredictMasked(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask, Tensor maskedPositions)
    {
        var hidden = Encoder.Forward(inputIds, tokenTypeIds, attentionMask).Last;
        var selected = hidden[maskedPositions];
        var transformed = transformNorm.forward(activation(transform.forward(selected)));
        // Read by name: to(device) registers a new bias, which a field would miss.
        return nn.functional.linear(transformed, Encoder.Embeddings.WordMatrix, predictions.get_parameter("bias"));
    }
}
