using Probing.Training.Checkpoints;
using Probing.Training.Model;
using Probing.Training.Optimization;
using Probing.Training.Regularizers;
using static TorchSharp.torch;

namespace Probing.Workbench.Benchmarks;

/// <summary>One seq2seq method's copy of the model, optimizer and method object, stepping as the fine-tuning loop does.</summary>
sealed class Seq2SeqMethodStepper : IDisposable
{
    readonly Seq2SeqModel student;
    readonly AdamW optimizer;
    readonly ISeq2SeqMethod method;
    readonly List<TorchSharp.Modules.Parameter> parameters;

    public Seq2SeqMethodStepper(string kind, Seq2SeqModel start)
    {
        Kind = kind;
        student = new Seq2SeqModel(start.Config);
        ModuleState.Load(student, start.state_dict(), "benchmark model");
        student.train();
        optimizer = new AdamW(student.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
        method = MethodRegistry.CreateSeq2Seq(MethodRegistry.Seq2SeqDefaults(kind), student);
        parameters = [.. student.parameters()];
    }

    public string Kind { get; }

    public void Step(Seq2SeqBatch batch)
    {
        using var scope = NewDisposeScope();
        method.Backward(batch);
        nn.utils.clip_grad_norm_(parameters, 1.0);
        optimizer.Step(1e-5);
        optimizer.ZeroGrad();
    }

    public void Dispose()
    {
        method.Dispose();
        optimizer.Dispose();
        student.Dispose();
    }
}
