namespace Probing.Training.Data.Embedded;

/// <summary>
/// excerpt-nli-proxy (does the premise entail the hypothesis?, standing in for RTE): a State of the Union
/// sentence of 10–40 words with an excerpt of 6–12 consecutive words of it ("entailment": a sentence
/// entails any stretch of itself read as a claim) or of another sentence of the same speech
/// ("not_entailment"). Split by speech, as every SOTU task. In dev and test, premises and the sentences
/// excerpts are cut from are sotu-party's or rte-proxy's held-out sentences of that split, so every
/// corpus line the task rests on is already kept out of pretraining; an excerpt that is itself a whole
/// SOTU sentence is dropped, so no new held-out text is a corpus line. The relation is one word overlap
/// shows (the bag-of-words baseline reads it too): it is here because a small encoder can learn it, so a
/// chain of pair tasks measures forgetting of learned tasks (rte-proxy's next-sentence relation it does not learn).
/// </summary>
public sealed class ExcerptNliProxyBuilder : ITaskBuilder
{
    public static readonly string[] Labels = ["not_entailment", "entailment"];
    const int MinimumExcerpt = 6, MaximumExcerpt = 12;

    public BuiltTask Build(SourceFiles sources)
    {
        var random = StableRandom.For("excerpt-nli-proxy");
        var heldOut = HeldOutSentences(sources);
        var sentenceKeys = sources.Sotu.Select(r => TextKey.Normalize(r[3])).ToHashSet(StringComparer.Ordinal);
        var pools = SplitAssignment.Names.ToDictionary(s => s, _ => new List<Example>());
        foreach (var speech in sources.Sotu.GroupBy(r => RealTasks.SpeechGroup(r[0], r[1])))
        {
            var split = SplitAssignment.Of(speech.Key, RealTasks.SotuHeldOut, RealTasks.SotuHeldOut);
            var sentences = speech.Select(r => r[3])
                .Where(s => SingleSentenceBuilder.WordCount(s) is >= 10 and <= 40)
                .Where(s => split == SplitAssignment.Train || heldOut[split].Contains(TextKey.Normalize(s)))
                .Distinct().ToArray();
            if (sentences.Length < 2) continue;
            for (var i = 0; i < sentences.Length; i++)
            {
                var entailed = random.Next(2) == 1;
                var source = entailed ? sentences[i] : sentences[(i + 1 + random.Next(sentences.Length - 1)) % sentences.Length];
                var excerpt = Excerpt(source, random);
                if (sentenceKeys.Contains(TextKey.Normalize(excerpt))) continue;
                pools[split].Add(Example.Classified(sentences[i], excerpt, entailed ? 1 : 0));
            }
        }
        return new BuiltTask(SplitSampler.Sample(pools, new(6000, 1000, 1000), Labels.Length, balanced: true, random), []);
    }

    /// <summary>6–12 consecutive words of the sentence (never all of it: sentences have at least 10).</summary>
    static string Excerpt(string sentence, StableRandom random)
    {
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var length = MinimumExcerpt + random.Next(Math.Min(MaximumExcerpt, words.Length - 1) - MinimumExcerpt + 1);
        var start = random.Next(words.Length - length + 1);
        return string.Join(' ', words[start..(start + length)]);
    }

    /// <summary>The sentences sotu-party and rte-proxy hold out, per split (their speeches are the same).</summary>
    static Dictionary<string, HashSet<string>> HeldOutSentences(SourceFiles sources)
    {
        var keys = SplitAssignment.Names.ToDictionary(s => s, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var builder in new[] { RealTasks.SotuParty, new NextSentenceProxyBuilder() })
            foreach (var (split, examples) in builder.Build(sources).Splits)
                foreach (var example in examples)
                {
                    keys[split].Add(TextKey.Normalize(example.Text1));
                    if (example.Text2 is { } second) keys[split].Add(TextKey.Normalize(second));
                }
        return keys;
    }
}
