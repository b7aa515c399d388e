namespace Probing.Training.Data.Embedded;

/// <summary>
/// qnli-proxy (does the sentence answer the question, standing in for QNLI): "What does w mean?"
/// with the WordNet definition of a sense of w ("defines") vs the definition of a related sense
/// — hypernym, hyponym or sibling — whose length is closest to the true one ("other_sense"), so
/// neither topic nor length separates the classes. Neither definition contains w. Each
/// definition is one pretraining-corpus line, held out with the dev/test split. Split by
/// hypernym family, so a sense and its usual negatives share a split.
/// </summary>
public sealed class QnliProxyBuilder : ITaskBuilder
{
    public static readonly string[] Labels = ["other_sense", "defines"];

    public BuiltTask Build(SourceFiles sources)
    {
        var random = StableRandom.For("qnli-proxy");
        var wordNet = new WordNetIndex(sources.WordNet);
        var pools = SplitAssignment.Names.ToDictionary(s => s, _ => new List<Example>());
        foreach (var synset in wordNet.Synsets)
        {
            if (!Usable(synset.Definition)) continue;
            var definitionWords = WordNetIndex.WordsOf(synset.Definition);
            var word = synset.Words.FirstOrDefault(w => WordNetIndex.IsQuestionWord(w) && !definitionWords.Contains(w));
            if (word == null) continue;
            var length = SingleSentenceBuilder.WordCount(synset.Definition);
            var negative = wordNet.Related(synset)
                .Where(r => Usable(r.Definition) && !r.Words.Contains(word) && !WordNetIndex.WordsOf(r.Definition).Contains(word)
                    && r.Definition != synset.Definition)
                .OrderBy(r => Math.Abs(SingleSentenceBuilder.WordCount(r.Definition) - length)).ThenBy(r => r.Key, StringComparer.Ordinal)
                .FirstOrDefault();
            if (negative == null) continue;
            var question = $"What does {word} mean?";
            var pool = pools[SplitAssignment.Of(WordNetIndex.Family(synset), 0.1, 0.1)];
            pool.Add(Example.Classified(question, synset.Definition, 1));
            pool.Add(Example.Classified(question, negative.Definition, 0));
        }
        return new BuiltTask(SplitSampler.Sample(pools, new(6000, 1000, 1000), Labels.Length, balanced: true, random), []);
    }

    static bool Usable(string definition) => SingleSentenceBuilder.WordCount(definition) is >= 4 and <= 25;
}
