using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// The papers' sentence-classification head (fairseq's and Hugging Face's): [CLS] → dropout →
/// dense(H, H) → tanh → dropout → out_proj. Names: <c>dense.*</c>, <c>out_proj.*</c>. R4F makes
/// out_proj spectrally normalised. Regression heads have one output.
/// </summary>
public sealed class ClassificationHead : ExplicitModule
{
    readonly FastDropout dropout;
    readonly Linear dense;
    readonly nn.Module<Tensor, Tensor> outProjection;

    public ClassificationHead(int hiddenSize, int outputs, double dropoutProbability, bool spectralNorm) : base("classifier")
    {
        Outputs = outputs;
        dropout = new FastDropout(dropoutProbability);
        dense = nn.Linear(hiddenSize, hiddenSize);
        outProjection = spectralNorm ? new SpectralNormLinear(hiddenSize, outputs) : nn.Linear(hiddenSize, outputs);
        register_module("dropout", dropout);
        register_module("dense", dense);
        register_module("out_proj", outProjection);
    }

    public int Outputs { get; }

    /// <summary>The spectrally normalised output projection, if this head has one.</summary>
    public SpectralNormLinear? SpectralOutput => outProjection as SpectralNormLinear;

    public Tensor forward(Tensor cls)
    {
        var hidden = dense.forward(dropout.forward(cls)).tanh();
        return outProjection.forward(dropout.forward(hidden));
    }

    /// <summary>BERT init (N(0, std²) weights, zero biases) from a generator of its own, so the head does not depend on the global seed.</summary>
    public void Initialize(double std, int seed)
    {
        using var _ = no_grad();
        using var generator = new Generator((ulong)seed);
        using (var w = randn(dense.weight!.shape, generator: generator)) dense.weight!.copy_(w.mul_(std));
        dense.bias!.zero_();
        switch (outProjection)
        {
            case Linear linear:
                using (var w = randn(linear.weight!.shape, generator: generator)) linear.weight!.copy_(w.mul_(std));
                linear.bias!.zero_();
                break;
            case SpectralNormLinear spectral:
                spectral.Initialize(std, generator);
                break;
        }
    }
}
