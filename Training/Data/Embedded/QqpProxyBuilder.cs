namespace Probing.Training.Data.Embedded;

/// <summary>
/// qqp-proxy (same meaning?, standing in for QQP): a WordNet definition with an example sentence
/// of the same synset ("same") vs a definition with an example of a different synset that shares
/// a word with it, the shared word appearing in the example ("different"). In both classes the
/// example contains a word of the defined synset, so word overlap alone does not decide. Every
/// text is one pretraining-corpus line. Split by the shared word.
/// </summary>
public sealed class QqpProxyBuilder : ITaskBuilder
{
    public static readonly string[] Labels = ["different", "same"];

    public BuiltTask Build(SourceFiles sources)
    {
        var random = StableRandom.For("qqp-proxy");
        var synsets = sources.WordNet.Where(s => Usable(s.Definition)).ToList();
        var examplesByWord = new Dictionary<string, List<(Synset Synset, string Example)>>();
        foreach (var synset in synsets)
            foreach (var example in synset.Examples.Where(Usable))
                foreach (var word in synset.Words.Where(w => WordNetIndex.WordsOf(example).Contains(w)).Distinct())
                    (examplesByWord.TryGetValue(word, out var list) ? list : examplesByWord[word] = []).Add((synset, example));

        var pools = SplitAssignment.Names.ToDictionary(s => s, _ => new List<Example>());
        foreach (var synset in synsets)
        {
            var same = random.Next(2) == 1;
            var candidates = synset.Words.Where(WordNetIndex.IsQuestionWord)
                .SelectMany(w => (examplesByWord.GetValueOrDefault(w) ?? []).Select(e => (Word: w, e.Synset, e.Example)))
                .Where(c => same ? c.Synset.Key == synset.Key : c.Synset.Key != synset.Key && c.Synset.Definition != synset.Definition)
                .ToList();
            if (candidates.Count == 0) continue;
            var chosen = candidates[random.Next(candidates.Count)];
            pools[SplitAssignment.Of("word|" + chosen.Word, 0.1, 0.1)].Add(Example.Classified(synset.Definition, chosen.Example, same ? 1 : 0));
        }
        return new BuiltTask(SplitSampler.Sample(pools, new(6000, 1000, 1000), Labels.Length, balanced: true, random), []);
    }

    static bool Usable(string text) => SingleSentenceBuilder.WordCount(text) is >= 4 and <= 25;
}
