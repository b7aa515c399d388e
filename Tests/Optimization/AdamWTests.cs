using NUnit.Framework;
using Probing.Training.Optimization;
using static TorchSharp.torch;

namespace Probing.Tests.Optimization;

public class AdamWTests
{
    [Test]
    public void TwoStepsMatchTheAdamWFormulaComputedByHand()
    {
        using var weight = tensor(new[] { 1.0f, -2.0f }).requires_grad_();
        using var optimizer = new AdamW([("w.weight", weight)], weightDecay: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-6);
        double[] p = [1.0, -2.0], m = [0, 0], v = [0, 0];
        double[][] gradients = [[0.5, -1.0], [0.25, 2.0]];
        const double lr = 0.01;
        for (int t = 1; t <= 2; t++)
        {
            weight.grad = tensor(gradients[t - 1].Select(g => (float)g).ToArray());
            optimizer.Step(lr);
            for (int i = 0; i < 2; i++)
            {
                var g = gradients[t - 1][i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                p[i] *= 1 - lr * 0.1;
                p[i] -= lr * (m[i] / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(0.999, t))) + 1e-6);
            }
        }
        var actual = weight.data<float>().ToArray();
        Assert.That(actual[0], Is.EqualTo(p[0]).Within(1e-6));
        Assert.That(actual[1], Is.EqualTo(p[1]).Within(1e-6));
    }

    [Test]
    public void BiasesAndLayerNormAreNotDecayed()
    {
        Assert.That(AdamW.Decays("bert.encoder.layer.0.output.dense.weight"), Is.True);
        Assert.That(AdamW.Decays("bert.encoder.layer.0.output.dense.bias"), Is.False);
        Assert.That(AdamW.Decays("bert.embeddings.LayerNorm.weight"), Is.False);
    }

    [Test]
    public void ScheduleWarmsUpThenDecaysLinearlyToZero()
    {
        var schedule = new LearningRateSchedule(1.0, WarmupSteps: 4, TotalSteps: 12);
        Assert.That(schedule.At(0), Is.EqualTo(0.25));
        Assert.That(schedule.At(3), Is.EqualTo(1.0));
        Assert.That(schedule.At(8), Is.EqualTo(0.5));   // 4 of 8 decay steps remain
        Assert.That(schedule.At(12), Is.EqualTo(0.0));
    }
}
