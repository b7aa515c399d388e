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

    public SpectralNormLinear(int inputs, int outputs) : base("spectral_norm_linear")
    {
        // Created on the CPU; Module.to moves them. They are read back by name below, never held in
        // fields, because to(device) registers new tensors and a field would keep the old ones.
        register_parameter("weight_orig", nn.Parameter(zeros(outputs, inputs)));   // device: moved by Module.to
        register_parameter("bias", nn.Parameter(zeros(outputs)));   // device: moved by Module.to
        register_buffer("weight_u", zeros(outputs));   // device: moved by Module.to
        register_buffer("weight_v", zeros(inputs));   // device: moved by Module.to
    }

    Parameter weight => get_parameter("weight_orig")!;
    Parameter bias => get_parameter("bias")!;
    Tensor u => get_buffer("weight_u")!;
    Tensor v => get_buffer("weight_v")!;

    /// <summary>Only the explicit registrations above (see <see cref="ExplicitModule"/>).</summary>
    protected override void RegisterComponents() { }

    /// <summary>The unnormalised weight W (outputs × inputs).</summary>
    public Parameter OriginalWeight => weight;

    /// <summary>BERT init for W and random unit u, v sharpened by a few power iterations.</summary>
    public void Initialize(double std, Generator generator)
    {
        using var _ = no_grad();
        // device: drawn on the CPU from a CPU generator (the same weights on every device), then copied.
        using (var w = randn(weight.shape, generator: generator)) weight.copy_(w.mul_(std));   // device: CPU generator, copied
        bias.zero_();
        using (var draw = randn(u.shape, generator: generator)) u.copy_(Normalize(draw));   // device: CPU generator, copied
        using (var draw = randn(v.shape, generator: generator)) v.copy_(Normalize(draw));   // device: CPU generator, copied
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
        return nn.functional.linear(input, NormalizedWeight(), bias);
    }

    /// <summary>
    /// W / σ with σ = uᵀWv from the current u and v: the weight a forward uses (without its power
    /// iteration). An export folds it into a plain linear layer with the same outputs.
    /// </summary>
    public Tensor NormalizedWeight()
    {
        // Clones, as PyTorch takes them: the next forward updates u and v in place, and this
        // forward's backward pass still needs the values it used.
        var sigma = u.clone().dot(weight.mv(v.clone()));
        return weight / sigma;
    }

    public Parameter Bias => bias;

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
