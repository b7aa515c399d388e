using Probing.Training.Checkpoints;
using Probing.Training.Model;
using Probing.Training.Optimization;
using Probing.Training.Regularizers;
using static TorchSharp.torch;

namespace Probing.Workbench.Benchmarks;

/// <summary>One method's student, optimizer and regularizer on a copy of an encoder, stepping exactly as the fine-tuner does.</summary>
sealed class MethodStepper : IDisposable
{
    readonly SequenceClassifier student;
    readonly AdamW optimizer;
    readonly IRegularizer regularizer;
    readonly List<TorchSharp.Modules.Parameter> parameters;

    public MethodStepper(string kind, Encoder start)
    {
        Kind = kind;
        Options = MethodRegistry.Defaults(kind);
        var spectral = Options.SpectralNormHead;
        SequenceClassifier Create() => new(start.Config, 2, spectral);
        student = Create();
        ModuleState.Load(student.Encoder, start.state_dict(), "benchmark encoder");
        student.Head.Initialize(start.Config.InitializerRange, seed: 1);
        student.train();
        optimizer = new AdamW(student.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
        regularizer = MethodRegistry.Create(Options, new RegularizerContext(student, Create));
        parameters = [.. student.parameters()];
    }

    public string Kind { get; }
    public MethodOptions Options { get; }

    public void Step(ClassifierBatch batch)
    {
        using var scope = NewDisposeScope();
        regularizer.Backward(batch);
        nn.utils.clip_grad_norm_(parameters, 1.0);
        optimizer.Step(1e-5);
        optimizer.ZeroGrad();
        regularizer.AfterOptimizerStep();
    }

    public void Dispose()
    {
        regularizer.Dispose();
        optimizer.Dispose();
        student.Dispose();
    }
}
