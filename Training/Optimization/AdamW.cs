using static TorchSharp.torch;

namespace Probing.Training.Optimization;

/// <summary>
/// AdamW (decoupled weight decay, bias-corrected moments) updated in place with one reused scratch
/// buffer per parameter. TorchSharp's optimizer allocates two parameter-sized temporaries per
/// parameter every step; at BERT-base size that doubled the optimizer's time. Its state is plain
/// named tensors, so a checkpoint can save and restore it exactly.
/// </summary>
public sealed class AdamW : IDisposable
{
    readonly IReadOnlyList<(string Name, Tensor Parameter, bool Decay)> parameters;
    readonly Dictionary<string, (Tensor First, Tensor Second, Tensor Scratch)> moments = [];
    readonly double beta1, beta2, epsilon, weightDecay;

    /// <param name="named">Parameters by name; biases and LayerNorm weights get no weight decay, as in BERT.</param>
    public AdamW(IEnumerable<(string Name, Tensor Parameter)> named, double weightDecay = 0.01,
                 double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-6)
    {
        parameters = [.. named.Where(p => p.Parameter.requires_grad).Select(p => (p.Name, p.Parameter, Decays(p.Name)))];
        this.weightDecay = weightDecay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        foreach (var (name, parameter, _) in parameters)
            moments[name] = (zeros_like(parameter), zeros_like(parameter), empty_like(parameter));
    }

    /// <summary>Number of updates applied so far (drives bias correction).</summary>
    public long Steps { get; private set; }

    public static bool Decays(string parameterName) =>
        !parameterName.EndsWith("bias", StringComparison.Ordinal) && !parameterName.Contains("LayerNorm", StringComparison.Ordinal);

    public void Step(double learningRate)
    {
        Steps++;
        var correction1 = 1 - Math.Pow(beta1, Steps);
        var sqrtCorrection2 = Math.Sqrt(1 - Math.Pow(beta2, Steps));
        using var _ = no_grad();
        foreach (var (name, parameter, decay) in parameters)
        {
            var gradient = parameter.grad;
            if (gradient is null) continue;
            var (first, second, scratch) = moments[name];
            first.mul_(beta1).add_(gradient, alpha: 1 - beta1);
            second.mul_(beta2).addcmul_(gradient, gradient, value: 1 - beta2);
            if (decay && weightDecay > 0) parameter.mul_(1 - learningRate * weightDecay);
            scratch.copy_(second).sqrt_().div_(sqrtCorrection2).add_(epsilon);
            parameter.addcdiv_(first, scratch, value: -learningRate / correction1);
        }
    }

    public void ZeroGrad()
    {
        foreach (var (_, parameter, _) in parameters)
            parameter.grad?.zero_();
    }

    /// <summary>Moments as named tensors (<c>name.exp_avg</c>, <c>name.exp_avg_sq</c>) plus the step count.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor> { ["step"] = tensor(Steps) };   // device: CPU counter for the checkpoint file
        foreach (var (name, (first, second, _)) in moments)
        {
            state[name + ".exp_avg"] = first;
            state[name + ".exp_avg_sq"] = second;
        }
        return state;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        if (!state.TryGetValue("step", out var step))
            throw Infrastructure.InputError.InFile(source, "optimizer state has no step");
        using var _ = no_grad();
        foreach (var (name, (first, second, _)) in moments)
        {
            if (!state.TryGetValue(name + ".exp_avg", out var m) || !state.TryGetValue(name + ".exp_avg_sq", out var v))
                throw Infrastructure.InputError.InFile(source, $"optimizer state lacks moments of {name}");
            first.copy_(m);
            second.copy_(v);
        }
        Steps = step.item<long>();
    }

    public void Dispose()
    {
        foreach (var (first, second, scratch) in moments.Values)
        {
            first.Dispose();
            second.Dispose();
            scratch.Dispose();
        }
    }
}
