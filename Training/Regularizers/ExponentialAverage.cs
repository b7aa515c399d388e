using Probing.Training.Checkpoints;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>An EMA teacher θ̃ ← β θ̃ + (1 − β) θ of the student, evaluated without dropout and without gradients.</summary>
public sealed class ExponentialAverage : IDisposable
{
    const string Prefix = "ema_teacher.";
    readonly SequenceClassifier teacher;
    readonly List<(Tensor Student, Tensor Teacher)> pairs;
    readonly double momentum;

    public ExponentialAverage(RegularizerContext context, double momentum)
    {
        if (momentum is < 0 or >= 1) throw new Infrastructure.InputError($"method.proximal_momentum {momentum}: expected a number in [0, 1)");
        this.momentum = momentum;
        teacher = context.CreateTwin();
        teacher.eval();
        var studentParameters = context.Student.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        pairs = [.. teacher.named_parameters().Select(p => (studentParameters[p.name], (Tensor)p.parameter))];
        using var _ = no_grad();
        foreach (var (s, t) in pairs) t.copy_(s);
    }

    public Tensor Logits(ClassifierBatch batch)
    {
        using var _ = no_grad();
        return teacher.Logits(batch);
    }

    public void Update()
    {
        using var _ = no_grad();
        foreach (var (s, t) in pairs) t.mul_(momentum).add_(s, alpha: 1 - momentum);
    }

    public Dictionary<string, Tensor> StateDict() =>
        teacher.state_dict().ToDictionary(kv => Prefix + kv.Key, kv => kv.Value);

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string source) =>
        ModuleState.Load(teacher, state, source, Prefix);

    public void Dispose() => teacher.Dispose();
}
