namespace Probing.Training.Data.Embedded;

/// <summary>
/// word-usage-proxy (does the sentence answer the question?, standing in for QNLI): "What does w mean?"
/// with a WordNet example sentence that uses w ("uses") or with another example sentence, of the same
/// split, that does not contain w ("other"). w is a word of a synset the example illustrates. Built from
/// qqp-proxy's example sentences (its text2), split by split, so dev/test sentences are held out
/// already and the task adds only template questions to the held-out set. Every example sentence asks
/// one question with both answers. Unlike qnli-proxy, which asks the small base to know the meaning of w,
/// the relation here is that the sentence mentions w, which the base can learn to see (the
/// bag-of-words baseline reads it too, through the words both texts share).
/// </summary>
public sealed class WordUsageProxyBuilder : ITaskBuilder
{
    public static readonly string[] Labels = ["other", "uses"];

    public BuiltTask Build(SourceFiles sources)
    {
        var random = StableRandom.For("word-usage-proxy");
        var wordsOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var synset in sources.WordNet)
            foreach (var example in synset.Examples)
                foreach (var word in synset.Words.Where(WordNetIndex.IsQuestionWord).Where(WordNetIndex.WordsOf(example).Contains))
                {
                    var words = wordsOf.TryGetValue(example, out var list) ? list : wordsOf[example] = [];
                    if (!words.Contains(word)) words.Add(word);
                }
        var pools = SplitAssignment.Names.ToDictionary(s => s, _ => new List<Example>());
        foreach (var (split, examples) in new QqpProxyBuilder().Build(sources).Splits)
        {
            var sentences = examples.Select(e => e.Text2!).Distinct().ToList();
            foreach (var sentence in sentences)
            {
                if (!wordsOf.TryGetValue(sentence, out var words)) continue;
                var word = words[random.Next(words.Count)];
                string other;
                do other = sentences[random.Next(sentences.Count)]; while (WordNetIndex.WordsOf(other).Contains(word));
                var question = $"What does {word} mean?";
                pools[split].Add(Example.Classified(question, sentence, 1));
                pools[split].Add(Example.Classified(question, other, 0));
            }
        }
        return new BuiltTask(SplitSampler.Sample(pools, new(6000, 1000, 1000), Labels.Length, balanced: true, random), []);
    }
}
