using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>The feed-forward activations a config may name (Hugging Face's spellings).</summary>
public static class Activations
{
    public static readonly IReadOnlyList<string> Names = ["gelu", "gelu_new", "relu"];

    public static Func<Tensor, Tensor> Get(string name) => name switch
    {
        "gelu" => x => nn.functional.gelu(x),                        // exact erf form, as BERT
        "gelu_new" => x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        "relu" => x => nn.functional.relu(x),
        _ => throw new ArgumentException($"unknown activation {name}"),
    };
}
