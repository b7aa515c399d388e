using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>
/// A teacher built from the student's last K snapshots: either one model with their averaged
/// parameters, or the vote (mean logits) of the K snapshot models. The window starts with the
/// student's initial parameters and takes a snapshot after every optimizer step.
/// A teacher's forward needs only the batch's rows of the word-embedding matrix (most of the
/// parameters), so per-step teachers average or copy those rows alone and pass them in as word
/// embeddings; the full model is assembled only when <see cref="Averaged"/> is asked for.
/// </summary>
public sealed class SnapshotTeacher : IDisposable
{
    readonly SnapshotWindow window;
    readonly SequenceClassifier twin;
    readonly IReadOnlyList<Tensor> twinParameters;
    readonly int wordMatrix;
    bool wholeTwinIsMean, layersAreMean;

    public SnapshotTeacher(RegularizerContext context, int size)
    {
        var named = context.Student.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        window = new SnapshotWindow(named, size);
        twin = context.CreateTwin();
        twin.eval();
        var twinNamed = twin.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        twinParameters = [.. named.Select(p => twinNamed[p.Item1])];
        wordMatrix = named.FindIndex(p => p.Item1 == SequenceClassifier.WordMatrixName);
        if (wordMatrix < 0) throw new InvalidOperationException("the student's word-embedding matrix is not among its parameters");
        window.Push();
    }

    public void Push()
    {
        window.Push();
        wholeTwinIsMean = layersAreMean = false;
    }

    /// <summary>The model whose parameters are the mean of the held snapshots.</summary>
    public SequenceClassifier Averaged()
    {
        if (!wholeTwinIsMean)
            for (int i = 0; i < twinParameters.Count; i++) window.WriteMean(i, twinParameters[i]);
        wholeTwinIsMean = layersAreMean = true;
        return twin;
    }

    /// <summary>Logits of the averaged model on a batch, without dropout or gradients.</summary>
    public Tensor AveragedLogits(ClassifierBatch batch)
    {
        using var _ = no_grad();
        if (!layersAreMean)
            for (int i = 0; i < twinParameters.Count; i++)
                if (i != wordMatrix) window.WriteMean(i, twinParameters[i]);
        layersAreMean = true;
        return twin.LogitsFromWordEmbeddings(window.MeanRows(wordMatrix, batch.Ids), batch);
    }

    /// <summary>Mean logits of the held snapshot models (the voted teacher), without dropout or gradients.</summary>
    public Tensor VotedLogits(ClassifierBatch batch)
    {
        using var _ = no_grad();
        Tensor? sum = null;
        for (int snapshot = 0; snapshot < window.Count; snapshot++)
        {
            for (int i = 0; i < twinParameters.Count; i++)
                if (i != wordMatrix) window.WriteSnapshot(snapshot, i, twinParameters[i]);
            using var matrix = window.Snapshot(snapshot, wordMatrix);
            var words = matrix.index_select(0, batch.Ids.flatten()).view([.. batch.Ids.shape, matrix.shape[1]]);
            var logits = twin.LogitsFromWordEmbeddings(words, batch);
            sum = sum is null ? logits : sum.add_(logits);
        }
        wholeTwinIsMean = layersAreMean = false;
        return sum!.div_(window.Count);
    }

    public Dictionary<string, Tensor> StateDict() => window.StateDict();

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        window.LoadStateDict(state, source);
        wholeTwinIsMean = layersAreMean = false;
    }

    public void Dispose()
    {
        window.Dispose();
        twin.Dispose();
    }
}
