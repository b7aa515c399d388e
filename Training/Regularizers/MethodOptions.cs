using System.Text.Json.Serialization;

namespace Probing.Training.Regularizers;

/// <summary>
/// Options of a fine-tuning method; each method has its own record with the references' defaults.
/// In JSON a method is <c>{"kind": "r3f", "eps": 1e-05, …}</c> (see <see cref="MethodRegistry"/>).
/// </summary>
public abstract record MethodOptions
{
    /// <summary>Label smoothing of the cross entropy, available to every method (0 = none).</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Whether the head's output projection is spectrally normalised (R4F).</summary>
    [JsonIgnore] public virtual bool SpectralNormHead => false;

    /// <summary>Forward passes of the student over the batch per step, each with a backward pass (what a step costs, for <c>bench methods</c>).</summary>
    [JsonIgnore] public virtual int TrainingPasses => 1;

    /// <summary>Teacher forwards over the batch per step (no gradient, no dropout).</summary>
    [JsonIgnore] public virtual int TeacherForwards => 0;
}

/// <summary>How SMART and FreeLB normalise a perturbation or its gradient.</summary>
public enum PerturbationNorm { L2, Inf }
