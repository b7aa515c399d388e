using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>The supervised loss: (label-smoothed) cross entropy for classification, MSE for regression.</summary>
public static class TaskLoss
{
    public static Tensor Compute(Tensor logits, Model.ClassifierBatch batch, double labelSmoothing) =>
        batch.IsRegression
            ? nn.functional.mse_loss(logits.squeeze(-1), batch.Targets)
            : nn.functional.cross_entropy(logits.to(float32), batch.Targets, label_smoothing: labelSmoothing);
}
