using NUnit.Framework;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using static TorchSharp.torch;

namespace Probing.Tests.FineTuning;

public class EnsembleTests
{
    [Test]
    public void VotedEnsembleIsTheArgmaxOfSummedProbabilities()
    {
        // Member A is very sure of class 0; B and C mildly prefer class 1. Summed logits pick 0,
        // summed probabilities pick 1 — the vote must follow the probabilities.
        float[,] a = { { 3f, 0f } }, b = { { 0f, 1f } }, c = { { 0f, 1f } };
        using var voted = Ensembles.Vote([tensor(a), tensor(b), tensor(c)]);
        double Probability(float[,] l, int k) => Math.Exp(l[0, k]) / (Math.Exp(l[0, 0]) + Math.Exp(l[0, 1]));
        var summed = new[] { 0, 1 }.Select(k => Probability(a, k) + Probability(b, k) + Probability(c, k)).ToArray();
        Assert.That(voted.argmax(-1).item<long>(), Is.EqualTo(Array.IndexOf(summed, summed.Max())));
        Assert.That(voted.argmax(-1).item<long>(), Is.EqualTo(1));
    }

    [Test]
    public void AveragedModelHoldsTheMeanParametersAndBothEnsemblesAreScored()
    {
        var folders = new[] { 1, 2 }.Select(seed =>
        {
            var result = FineTuner.Run(TinySetup.Quick("standard", steps: 6) with { Seed = seed }, TinySetup.KeywordTask(), TinySetup.Model, TinySetup.TempDirectory(), SilentProgress.Instance);
            result.Encoder.Dispose();
            return result.BestFolder;
        }).ToList();
        var members = folders.Select(f => FineTunedModel.Load(f, TinySetup.KeywordSpec)).ToList();
        using var averaged = Ensembles.AverageParameters(members);
        var name = "classifier.dense.weight";
        using var expected = (members[0].state_dict()[name] + members[1].state_dict()[name]) / 2;
        Assert.That(averaged.state_dict()[name].sub(expected).abs().max().item<float>(), Is.LessThan(1e-6));

        var rows = EnsembleCommand.Evaluate(folders, TinySetup.KeywordTask());
        Assert.That(rows.Select(r => r.Model), Has.Some.StartsWith("voted").And.Some.StartsWith("averaged"));
        Assert.That(rows.Select(r => r.Model).Distinct().Count(), Is.EqualTo(4), "two members, the voted and the averaged ensemble");
        Assert.That(rows, Has.Count.EqualTo(4 * 2), "long format: a row per model and metric (accuracy, f1)");
        Assert.That(rows.Where(r => r.Primary).Select(r => r.Metric), Is.All.EqualTo("accuracy"));
        Assert.Throws<InputError>(() => EnsembleCommand.Evaluate(folders, TinySetup.CountTask()), "a classification head does not fit a regression task");
    }
}
