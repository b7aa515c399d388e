using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Training.Regularizers;

/// <summary>
/// R3F for a generator, as fairseq's <c>label_smoothed_cross_entropy_r3f</c> computes it: noise on the
/// encoder's input word embeddings (before BART's embedding scale), and the loss
/// (label-smoothed) CE + λ · symmetric KL between the decoder's token distributions with and without
/// the noise. Differences from fairseq, both deliberate: the KL is averaged over real target tokens
/// (fairseq sums it over every position, padding included, per sentence, then scales by tokens per
/// sentence), and, as for classification, the clean and noisy inputs run as one batch of 2B (each
/// half its own dropout draw, as a second pass would have). As in fairseq's criterion the noisy
/// embeddings are not detached (its classification criterion detaches them; this one does not).
/// Defaults are that criterion's: normal noise, eps 1e-5, λ 1 (see <see cref="MethodRegistry"/>).
/// </summary>
public sealed class Seq2SeqR3f(R3fOptions options, Seq2SeqModel student) : ISeq2SeqMethod
{
    public IReadOnlyList<string> TermNames { get; } = ["task", "symmetric_kl"];

    public StepLoss Backward(Seq2SeqBatch batch)
    {
        var words = student.WordEmbeddings(batch.SourceIds);
        var (task, symmetricKl) = Terms(student, batch, words, R3f.Noise(options, words));
        var total = task + options.Lambda * symmetricKl;
        total.backward();
        return new StepLoss(total.item<float>(), [task.item<float>(), symmetricKl.item<float>()]);
    }

    /// <summary>The task loss on the clean input and the symmetric KL against the input with <paramref name="noise"/> added to <paramref name="words"/>.</summary>
    public (Tensor Task, Tensor SymmetricKl) Terms(Seq2SeqModel model, Seq2SeqBatch batch, Tensor words, Tensor noise)
    {
        var both = model.TargetLogitsFromWordEmbeddings(cat([words, words + noise]), batch.Twice());
        var tokens = (int)(both.shape[0] / 2);   // the clean half's target tokens, then the noisy half's
        var clean = both[..tokens];
        return (Seq2SeqLoss.LabelSmoothed(clean, batch.TargetLabels(), options.LabelSmoothing), Seq2SeqLoss.SymmetricKl(clean, both[tokens..]));
    }
}
