using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>The loss of one step: the objective that was back-propagated and its named terms (for the log).</summary>
public sealed record StepLoss(double Total, IReadOnlyList<double> Terms);

/// <summary>
/// What the fine-tuning loop needs of any method, classifier or sequence-to-sequence: the names of
/// its loss terms, what it does after an optimizer step, and the state a resumed run needs.
/// </summary>
public interface ITrainingMethod : IDisposable
{
    /// <summary>Names of the loss terms a step returns, in order (CSV columns).</summary>
    IReadOnlyList<string> TermNames { get; }

    /// <summary>Called after each optimizer step (snapshot bookkeeping, EMA teachers).</summary>
    void AfterOptimizerStep() { }

    /// <summary>State beyond the student's weights that resuming needs (none for stateless methods).</summary>
    Dictionary<string, Tensor> StateDict() => [];

    void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string source) { }

    void IDisposable.Dispose() { }
}

/// <summary>
/// One fine-tuning method of a classifier. It turns a batch into parameter gradients (running whatever
/// extra forward and backward passes it needs), may act after the optimizer step, and says which model
/// is evaluated and saved. Its state (teachers, snapshots) round-trips through <see cref="ITrainingMethod.StateDict"/>
/// so that a resumed run continues exactly.
/// </summary>
public interface IRegularizer : ITrainingMethod
{
    /// <summary>Computes the loss of a training batch and back-propagates it; the caller clips and steps.</summary>
    StepLoss Backward(ClassifierBatch batch);

    /// <summary>The model that is evaluated and saved: the student, or the averaged teacher for self-ensemble.</summary>
    SequenceClassifier EvaluationModel { get; }
}

/// <summary>What a method is built on: the student being trained and how to build an identical twin (for teachers).</summary>
public sealed record RegularizerContext(SequenceClassifier Student, Func<SequenceClassifier> CreateTwin)
{
    public bool IsRegression => Student.Head.Outputs == 1;
}
