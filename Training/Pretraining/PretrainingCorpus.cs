using Probing.Training.Infrastructure;

namespace Probing.Training.Pretraining;

/// <summary>
/// The pretraining text, one unit (sentence, gloss, paragraph) per line, split into a training part
/// and a held-out part for the masked-LM evaluation. Lines whose normalised form is in
/// <c>excluded</c> (the dev/test text of the embedded tasks) are dropped from both.
/// </summary>
public sealed class PretrainingCorpus
{
    PretrainingCorpus(List<string> train, List<string> heldOut, int excluded)
    {
        TrainLines = train;
        HeldOutLines = heldOut;
        ExcludedLines = excluded;
    }

    public IReadOnlyList<string> TrainLines { get; }
    public IReadOnlyList<string> HeldOutLines { get; }
    public int ExcludedLines { get; }

    /// <param name="heldOutFraction">Share of lines kept for evaluation, chosen by a stable hash of the text.</param>
    public static PretrainingCorpus Load(IEnumerable<string> files, Func<string, bool> isExcluded, double heldOutFraction)
    {
        List<string> train = [], heldOut = [];
        int excluded = 0;
        var threshold = (ulong)(heldOutFraction * ulong.MaxValue);
        foreach (var file in files)
        {
            foreach (var raw in TextFiles.ReadLines(file))
            {
                var line = raw.Trim();
                if (line.Length == 0) continue;
                if (isExcluded(line)) { excluded++; continue; }
                (StableHash(line) < threshold ? heldOut : train).Add(line);
            }
        }
        if (train.Count == 0) throw new InputError($"the pretraining corpus ({string.Join(", ", files)}) has no usable lines");
        return new PretrainingCorpus(train, heldOut, excluded);
    }

    /// <summary>
    /// The suite's stable FNV-1a hash (the same split on every machine and .NET version), finished with
    /// a murmur-style avalanche because FNV's low bits mix poorly into the high ones the split compares.
    /// </summary>
    public static ulong StableHash(string text)
    {
        var hash = Data.Embedded.StableRandom.Hash(text);
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccd;
        hash ^= hash >> 33;
        return hash;
    }
}
