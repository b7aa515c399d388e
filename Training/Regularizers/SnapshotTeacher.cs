using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>
/// A teacher built from the student's last K snapshots: either one model with their averaged
/// parameters, or the vote (mean logits) of the K snapshot models. The window starts with the
/// student's initial parameters and takes a snapshot after every optimizer step.
/// </summary>
public sealed class SnapshotTeacher : IDisposable
{
    readonly SnapshotWindow window;
    readonly SequenceClassifier twin;
    readonly IReadOnlyList<Tensor> twinParameters;
    bool averageIsStale = true;

    public SnapshotTeacher(RegularizerContext context, int size)
    {
        var named = context.Student.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        window = new SnapshotWindow(named, size);
        twin = context.CreateTwin();
        twin.eval();
        var twinNamed = twin.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        twinParameters = [.. named.Select(p => twinNamed[p.Item1])];
        window.Push();
    }

    public void Push()
    {
        window.Push();
        averageIsStale = true;
    }

    /// <summary>The model whose parameters are the mean of the held snapshots.</summary>
    public SequenceClassifier Averaged()
    {
        if (averageIsStale) window.WriteMean(twinParameters);
        averageIsStale = false;
        return twin;
    }

    /// <summary>Logits of the averaged model on a batch, without dropout or gradients.</summary>
    public Tensor AveragedLogits(ClassifierBatch batch)
    {
        var model = Averaged();
        using var _ = no_grad();
        return model.Logits(batch);
    }

    /// <summary>Mean logits of the held snapshot models (the voted teacher), without dropout or gradients.</summary>
    public Tensor VotedLogits(ClassifierBatch batch)
    {
        using var _ = no_grad();
        Tensor? sum = null;
        for (int i = 0; i < window.Count; i++)
        {
            window.WriteSnapshot(i, twinParameters);
            var logits = twin.Logits(batch);
            sum = sum is null ? logits : sum.add_(logits);
        }
        averageIsStale = true;
        return sum!.div_(window.Count);
    }

    public Dictionary<string, Tensor> StateDict() => window.StateDict();

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        window.LoadStateDict(state, source);
        averageIsStale = true;
    }

    public void Dispose()
    {
        window.Dispose();
        twin.Dispose();
    }
}
