using Probing.Probing.Features;
using static TorchSharp.torch;

namespace Probing.Probing.Similarity;

/// <summary>
/// Linear centered kernel alignment (Kornblith et al., 2019) between two representations of the same
/// n inputs: with column-centered X (n × d₁) and Y (n × d₂),
/// CKA = ‖YᵀX‖²_F / (‖XᵀX‖_F · ‖YᵀY‖_F). 1 for identical representations, invariant to orthogonal
/// transforms and isotropic scaling; computed in float64 through d × d products (cheap for n ≫ d).
/// </summary>
public static class LinearCka
{
    public static double Compute(FeatureMatrix x, FeatureMatrix y)
    {
        if (x.Rows != y.Rows) throw new ArgumentException($"CKA needs the same inputs: {x.Rows} rows vs {y.Rows}");
        using var scope = NewDisposeScope();
        var a = Centered(x.ToTensor());
        var b = Centered(y.ToTensor());
        var cross = b.t().matmul(a).pow(2).sum().item<double>();
        var selfA = linalg.norm(a.t().matmul(a)).item<double>();
        var selfB = linalg.norm(b.t().matmul(b)).item<double>();
        return selfA == 0 || selfB == 0 ? 0 : cross / (selfA * selfB);
    }

    static Tensor Centered(Tensor x) => x - x.mean([0], keepdim: true);
}
