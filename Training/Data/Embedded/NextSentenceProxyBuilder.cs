namespace Probing.Training.Data.Embedded;

/// <summary>
/// rte-proxy (next-sentence prediction, standing in for RTE): a sentence of a State of the Union
/// address and the sentence after it ("next") vs the same kind of anchor and a sentence from at
/// least five sentences away in the same speech ("not_next"). Both texts are corpus sentences,
/// so held-out pairs are removed from pretraining whole. Split by speech.
/// </summary>
public sealed class NextSentenceProxyBuilder : ITaskBuilder
{
    public static readonly string[] Labels = ["not_next", "next"];
    const int MinimumDistance = 5;

    public BuiltTask Build(SourceFiles sources)
    {
        var random = StableRandom.For("rte-proxy");
        var pools = SplitAssignment.Names.ToDictionary(s => s, _ => new List<Example>());
        foreach (var speech in sources.Sotu.GroupBy(r => RealTasks.SpeechGroup(r[0], r[1])))
        {
            var sentences = speech.Select(r => r[3]).ToArray();
            var pool = pools[SplitAssignment.Of(speech.Key, RealTasks.SotuHeldOut, RealTasks.SotuHeldOut)];
            for (var i = 0; i + 1 < sentences.Length; i += 2)
            {
                if (!Usable(sentences[i])) continue;
                var next = random.Next(2) == 1;
                var partner = next ? i + 1 : FarSentence(i, sentences.Length, random);
                if (partner < 0 || !Usable(sentences[partner])) continue;
                pool.Add(Example.Classified(sentences[i], sentences[partner], next ? 1 : 0));
            }
        }
        return new BuiltTask(SplitSampler.Sample(pools, new(6000, 1000, 1000), Labels.Length, balanced: true, random), []);
    }

    static bool Usable(string sentence) => SingleSentenceBuilder.WordCount(sentence) is >= 6 and <= 50;

    static int FarSentence(int anchor, int count, StableRandom random)
    {
        var candidates = Enumerable.Range(0, count).Where(j => Math.Abs(j - anchor) >= MinimumDistance).ToArray();
        return candidates.Length == 0 ? -1 : candidates[random.Next(candidates.Length)];
    }
}
