using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// A linear layer whose weight is divided by its largest singular value, estimated as PyTorch's
/// <c>spectral_norm</c> does: one power iteration per training forward with persistent u/v buffers
/// (eps 1e-12), σ = uᵀWv with u and v treated as constants. Tensor names are PyTorch's
/// (<c>weight_orig</c>, <c>weight_u</c>, <c>weight_v</c>, <c>bias</c>).
/// </summary>
public sealed class SpectralNormLinear : nn.Module<Tensor, Tensor>
{
    const double Eps = 1e-12;
    /// <summary>Iterations at initialisation (PyTorch's parametrized spectral norm does 15), so σ is sharp from the first step.</summary>
    const int InitialIterations = 15;

    readonly Parameter weight, bias;
    readonly Tensor u, v;

    public SpectralNormLinear(int inputs, int outputs) : base("spectral_norm_linear")
    {
        weight = nn.Parameter(zeros(outputs, inputs));
        bias = nn.Parameter(zeros(outputs));
        u = zeros(outputs);
        v = zeros(inputs);
        register_parameter("weight_orig", weight);
        register_parameter("bias", bias);
        register_buffer("weight_u", u);
        register_buffer("weight_v", v);
    }

    /// <summary>Only the explicit registrations above (see <see cref="ExplicitModule"/>).</summary>
    protected override void RegisterComponents() { }

    /// <summary>The unnormalised weight W (outputs × inputs).</summary>
    public Parameter OriginalWeight => weight;

    /// <summary>BERT init for W and random unit u, v sharpened by a few power iterations.</summary>
    public void Initialize(double std, Generator generator)
    {
        using var _ = no_grad();
        using (var w = randn(weight.shape, generator: generator)) weight.copy_(w.mul_(std));
        bias.zero_();
        using (var draw = randn(u.shape, generator: generator)) u.copy_(Normalize(draw));
        using (var draw = randn(v.shape, generator: generator)) v.copy_(Normalize(draw));
        for (int i = 0; i < InitialIterations; i++) PowerIteration();
    }

    /// <summary>
    /// Power iterations per training forward: 1, as PyTorch; a caller whose one forward stands for
    /// several (R3F's clean and noisy passes as one doubled batch) sets that many, so σ is tracked as closely.
    /// </summary>
    public int IterationsPerForward { get; set; } = 1;

    public override Tensor forward(Tensor input)
    {
        if (training)
            using (no_grad())
                for (int i = 0; i < IterationsPerForward; i++) PowerIteration();
        // Clones, as PyTorch takes them: the next forward updates u and v in place, and this
        // forward's backward pass still needs the values it used.
        var sigma = u.clone().dot(weight.mv(v.clone()));
        return nn.functional.linear(input, weight / sigma, bias);
    }

    /// <summary>Current estimate of the largest singular value of W.</summary>
    public double Sigma()
    {
        using var _ = no_grad();
        using var wv = weight.mv(v);
        using var sigma = u.dot(wv);
        return sigma.item<float>();
    }

    void PowerIteration()
    {
        using var _ = NewDisposeScope();
        v.copy_(Normalize(weight.t().mv(u)));
        u.copy_(Normalize(weight.mv(v)));
    }

    static Tensor Normalize(Tensor x) => x / x.norm().clamp_min(Eps);
}
