using Probing.Training.Checkpoints;
using Probing.Training.Model;
using Probing.Training.Optimization;
using Probing.Training.Regularizers;
using static TorchSharp.torch;

namespace Probing.Workbench.Benchmarks;

/// <summary>
/// One method's copy of a model, its optimizer and the method object, stepping exactly as the fine-tuning
/// loop does (the method's backward, clipping to norm 1, an AdamW step, zeroed gradients, the method's
/// bookkeeping after the step): one class for a classifier's methods and a generator's, so the benchmarks
/// time both the same way.
/// </summary>
sealed class MethodStepper<TBatch> : IDisposable
{
    readonly nn.Module student;
    readonly AdamW optimizer;
    readonly ITrainingMethod method;
    readonly Func<TBatch, StepLoss> backward;
    readonly List<TorchSharp.Modules.Parameter> parameters;

    /// <param name="createMethod">Builds the method on the student (after the optimizer, as the fine-tuners do) and says how it steps.</param>
    public MethodStepper(string kind, nn.Module student, Func<(ITrainingMethod Method, Func<TBatch, StepLoss> Backward)> createMethod)
    {
        Kind = kind;
        this.student = student;
        student.train();
        optimizer = new AdamW(student.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
        (method, backward) = createMethod();
        parameters = [.. student.parameters()];
    }

    public string Kind { get; }

    public void Step(TBatch batch)
    {
        using var scope = NewDisposeScope();
        backward(batch);
        nn.utils.clip_grad_norm_(parameters, 1.0);
        optimizer.Step(1e-5);
        optimizer.ZeroGrad();
        method.AfterOptimizerStep();
    }

    public void Dispose()
    {
        method.Dispose();
        optimizer.Dispose();
        student.Dispose();
    }
}

/// <summary>Steppers on a copy of a starting model, with the method's reference defaults.</summary>
static class MethodStepper
{
    /// <summary>A classification method's student: the encoder under a fresh two-class head (spectrally normed for R4F).</summary>
    public static MethodStepper<ClassifierBatch> Classifier(string kind, Encoder start)
    {
        var options = MethodRegistry.Defaults(kind);
        SequenceClassifier Create() => new(start.Config, 2, options.SpectralNormHead);
        var student = Create();
        ModuleState.Load(student.Encoder, start.state_dict(), "benchmark encoder");
        student.Head.Initialize(start.Config.InitializerRange, seed: 1);
        return new(kind, student, () =>
        {
            var regularizer = MethodRegistry.Create(options, new RegularizerContext(student, Create));
            return (regularizer, regularizer.Backward);
        });
    }

    /// <summary>A seq2seq method's student: a copy of the generator.</summary>
    public static MethodStepper<Seq2SeqBatch> Seq2Seq(string kind, Seq2SeqModel start)
    {
        var student = new Seq2SeqModel(start.Config);
        ModuleState.Load(student, start.state_dict(), "benchmark model");
        return new(kind, student, () =>
        {
            var method = MethodRegistry.CreateSeq2Seq(MethodRegistry.Seq2SeqDefaults(kind), student);
            return (method, method.Backward);
        });
    }
}
