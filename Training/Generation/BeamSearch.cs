using static TorchSharp.torch;

namespace Probing.Training.Generation;

/// <summary>
/// Beam search over many sources at once, as fairseq's sequence generator does it. Each source keeps
/// K hypotheses (rows source·K … source·K + K − 1). Every step, the 2K best continuations of a
/// source's beams are ranked by total log-probability; those ending in the end token among the top K
/// become finished hypotheses (scored Σ log p / |y|^α), the best K others become the next beams. A
/// source is done when it has K finished hypotheses (at the maximum length every beam must end), and
/// its best finished hypothesis is the output. At the first step only one beam per source is live,
/// so the K beams start distinct.
/// </summary>
public static class BeamSearch
{
    sealed record Beam(List<int> Tokens, double Score);
    sealed record Finished(int[] Tokens, double Score);

    /// <param name="scorer">Starts with <paramref name="sources"/> × beam size rows.</param>
    /// <returns>Per source, the best hypothesis's tokens without the end token.</returns>
    public static int[][] Run(IStepScorer scorer, int sources, int startId, int endId, GenerationOptions options)
    {
        options.Validate();
        var k = options.BeamSize;
        var beams = Enumerable.Range(0, sources).Select(_ => Enumerable.Range(0, k)
            .Select(b => new Beam([], b == 0 ? 0 : double.NegativeInfinity)).ToList()).ToArray();
        var finished = Enumerable.Range(0, sources).Select(_ => new List<Finished>()).ToArray();
        var active = Enumerable.Range(0, sources).ToList();
        var last = Enumerable.Repeat((long)startId, sources * k).ToArray();

        while (active.Count > 0)
        {
            using var scope = NewDisposeScope();
            var logProbabilities = scorer.NextLogProbabilities(last);
            StepConstraints.Apply(logProbabilities, [.. active.SelectMany(s => beams[s].Select(b => (IReadOnlyList<int>)b.Tokens))], options, endId);
            var vocabulary = logProbabilities.shape[1];
            var beamScores = tensor(active.SelectMany(s => beams[s].Select(b => (float)b.Score)).ToArray(), [active.Count * k, 1]);
            var candidates = (logProbabilities + beamScores).view(active.Count, k * vocabulary);
            var (topScores, topIndices) = candidates.topk(Math.Min(2 * k, (int)(k * vocabulary)), dim: 1);
            var scores = topScores.to(ScalarType.Float64).data<double>().ToArray();
            var indices = topIndices.data<long>().ToArray();
            var width = (int)topScores.shape[1];

            var nextRows = new List<long>();
            var nextLast = new List<long>();
            var stillActive = new List<int>();
            for (int a = 0; a < active.Count; a++)
            {
                var source = active[a];
                var next = new List<Beam>(k);
                for (int rank = 0; rank < width && next.Count < k; rank++)
                {
                    var score = scores[a * width + rank];
                    if (double.IsNegativeInfinity(score)) break;
                    var index = indices[a * width + rank];
                    var parent = beams[source][(int)(index / vocabulary)];
                    var token = (int)(index % vocabulary);
                    if (token == endId)
                    {
                        if (rank < k && finished[source].Count < k)
                            finished[source].Add(new Finished([.. parent.Tokens], score / Math.Pow(parent.Tokens.Count + 1, options.LengthPenalty)));
                        continue;
                    }
                    next.Add(new Beam([.. parent.Tokens, token], score));
                    nextRows.Add(a * k + index / vocabulary);
                    nextLast.Add(token);
                }
                if (finished[source].Count >= k || next.Count == 0)
                {
                    nextRows.RemoveRange(nextRows.Count - next.Count, next.Count);
                    nextLast.RemoveRange(nextLast.Count - next.Count, next.Count);
                    continue;
                }
                // Fewer than K live continuations (a tiny vocabulary, or constraints): pad with dead beams.
                while (next.Count < k)
                {
                    next.Add(new Beam([.. next[0].Tokens], double.NegativeInfinity));
                    nextRows.Add(nextRows[^1]);
                    nextLast.Add(nextLast[^1]);
                }
                beams[source] = next;
                stillActive.Add(source);
            }
            if (stillActive.Count == 0) break;
            scorer.SelectRows([.. nextRows]);
            last = [.. nextLast];
            active = stillActive;
        }
        return [.. Enumerable.Range(0, sources).Select(s => Best(finished[s], beams[s], options))];
    }

    /// <summary>The best finished hypothesis; a source that finished none (cannot happen with a maximum length) takes its best beam.</summary>
    static int[] Best(List<Finished> finished, List<Beam> beams, GenerationOptions options) =>
        finished.Count > 0 ? finished.MaxBy(f => f.Score)!.Tokens : [.. beams.MaxBy(b => b.Score)!.Tokens];
}
