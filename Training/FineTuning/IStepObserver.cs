using Probing.Training.Model;

namespace Probing.Training.FineTuning;

/// <summary>
/// Watches a fine-tuning run from outside, e.g. probes its encoder every few steps (the collapse curve):
/// <see cref="FineTuner"/> calls <see cref="Observe"/> with the starting model (step 0, on a fresh run),
/// after every step that is a multiple of <see cref="Interval"/>, and after the last step. The model is
/// the one the run evaluates and saves (<c>IRegularizer.EvaluationModel</c>). An observer reads it and
/// must not change its parameters; the FineTuner restores its train/eval mode afterwards, and every
/// training step reseeds torch from (seed, step), so an observed run trains exactly as an unobserved one.
/// </summary>
public interface IStepObserver
{
    /// <summary>Observe every this many optimizer steps (positive).</summary>
    int Interval { get; }

    /// <summary>
    /// Called once before training: <paramref name="fromStep"/> is 0 on a fresh run, the checkpoint's step
    /// on a resumed one (observations after it are to be forgotten, they will be made again).
    /// </summary>
    void Begin(int fromStep, int totalSteps);

    /// <param name="step">Optimizer steps taken so far (0 = the starting model).</param>
    void Observe(int step, SequenceClassifier model);
}
