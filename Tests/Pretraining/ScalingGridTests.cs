using NUnit.Framework;
using Probing.Training.Pretraining;

namespace Probing.Tests.Pretraining;

public class ScalingGridTests
{
    [Test]
    public void BudgetBecomesStepsAtTheSizesReferenceSpeed()
    {
        // 15 min = 900 s at 0.19 s a step = 4,737 steps → 4,700; 60 min at 0.64 s = 5,625 → 5,600.
        Assert.That(new ScalingCell(ScalingGrid.Size("2x128"), 15).Steps, Is.EqualTo(4700));
        Assert.That(new ScalingCell(ScalingGrid.Size("4x256"), 60).Steps, Is.EqualTo(5600));
        Assert.That(new ScalingCell(ScalingGrid.Size("4x256"), 60).Name, Is.EqualTo("4x256-60min"));
    }

    [Test]
    public void BasePresetIsTheShippedScalingCell()
    {
        var preset = PretrainConfig.Preset("base");
        Assert.That(preset, Is.EqualTo(ScalingGrid.ShippedBase.Config));
        Assert.That((preset.Model.NumHiddenLayers, preset.Model.HiddenSize, preset.Model.IntermediateSize), Is.EqualTo((2, 128, 512)));
        Assert.That(preset.Steps, Is.EqualTo(18900), "60 min at 0.19 s a step = 18,947 steps → 18,900");
    }
}
