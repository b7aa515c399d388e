namespace Probing.Training.Data.Embedded;

/// <summary>Look-ups over WordNet that the pair proxies need: synsets by key and by word, word sets of texts.</summary>
public sealed class WordNetIndex
{
    public IReadOnlyList<Synset> Synsets { get; }
    readonly Dictionary<string, Synset> byKey;

    public WordNetIndex(IReadOnlyList<Synset> synsets)
    {
        Synsets = synsets;
        byKey = synsets.ToDictionary(s => s.Key);
    }

    public Synset? Get(string key) => byKey.GetValueOrDefault(key);

    /// <summary>Hypernyms, hyponyms and co-hyponyms (siblings): the senses a reader could confuse with this one.</summary>
    public IEnumerable<Synset> Related(Synset synset)
    {
        var keys = synset.Hypernyms.Concat(synset.Hyponyms)
            .Concat(synset.Hypernyms.SelectMany(h => Get(h)?.Hyponyms ?? []))
            .Where(k => k != synset.Key).Distinct();
        foreach (var key in keys) if (Get(key) is { } related) yield return related;
    }

    /// <summary>The group that decides a synset's split: its first hypernym, so siblings share a split.</summary>
    public static string Family(Synset synset) => "wordnet|" + (synset.Hypernyms.Count > 0 ? synset.Hypernyms[0] : synset.Key);

    public static HashSet<string> WordsOf(string text) => TextKey.Normalize(text).Split(' ').ToHashSet();

    public static bool IsQuestionWord(string word) => word.Length >= 3 && word.All(char.IsAsciiLetterLower);
}
