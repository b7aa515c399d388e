using TorchSharp;
using Probing.Training.Checkpoints;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.FineTuning;

/// <summary>
/// The two ensembles of K fine-tuned models (Xu et al. 2020): the voted one (sum of predicted
/// probabilities, argmax; the mean prediction for regression) and the parameter-averaged one.
/// </summary>
public static class Ensembles
{
    /// <summary>
    /// Voted predictions from each member's logits (N × C): class = argmax of the summed softmax
    /// probabilities; for regression (C = 1) the mean output. Returned as N × C "logits" to score.
    /// </summary>
    public static Tensor Vote(IReadOnlyList<Tensor> memberLogits)
    {
        if (memberLogits.Count == 0) throw new ArgumentException("an ensemble needs at least one member");
        if (memberLogits[0].shape[1] == 1) return stack(memberLogits).mean([0]);
        return stack([.. memberLogits.Select(l => l.softmax(-1))]).sum([0]);
    }

    /// <summary>One model whose every parameter and buffer is the mean of the members' (same architecture required).</summary>
    public static SequenceClassifier AverageParameters(IReadOnlyList<SequenceClassifier> members)
    {
        var first = members[0];
        var average = new SequenceClassifier(first.Config, first.Head.Outputs, first.Head.SpectralOutput is not null);
        var states = members.Select(m => m.state_dict()).ToList();
        var mean = average.state_dict().Keys.ToDictionary(name => name, name =>
            stack([.. states.Select(s => s[name].to(float64))]).mean([0]).to(states[0][name].dtype));
        average.to(DeviceAudit.DeviceOf(first));
        ModuleState.Load(average, mean, "parameter average");
        foreach (var t in mean.Values) t.Dispose();
        average.eval();
        return average;
    }
}
