using Probing.Training.Data;

namespace Probing.Training.Evaluation;

/// <summary>
/// Sparse features for the sanity baselines, hashed into a fixed number of buckets. Bag of words:
/// unigrams and bigrams of each text (tagged by side for pairs) plus, for pairs, the words both
/// texts share. Length: bucketed word and character counts of each text and their difference,
/// which is all a length-only classifier gets to see.
/// </summary>
public static class HashedFeatures
{
    public const int Buckets = 1 << 18;

    public static (int[] Indices, float[] Values) BagOfWords(Example example)
    {
        var names = new List<string>();
        var words1 = Words(example.Text1);
        AddNgrams(names, words1, example.Text2 == null ? "" : "a:");
        if (example.Text2 != null)
        {
            var words2 = Words(example.Text2);
            AddNgrams(names, words2, "b:");
            var shared = words1.Intersect(words2).ToList();
            names.AddRange(shared.Select(w => "both:" + w));
            names.Add("shared=" + Math.Min(shared.Count, 10));
        }
        return Hash(names);
    }

    public static (int[] Indices, float[] Values) Length(Example example)
    {
        var names = new List<string>();
        AddLength(names, example.Text1, "a");
        if (example.Text2 != null)
        {
            AddLength(names, example.Text2, "b");
            var difference = Words(example.Text1).Length - Words(example.Text2).Length;
            names.Add("diff=" + Math.Clamp(difference, -15, 15));
        }
        return Hash(names);
    }

    static void AddLength(List<string> names, string text, string side)
    {
        names.Add($"{side}:words={Math.Min(Words(text).Length, 60)}");
        names.Add($"{side}:chars={Math.Min(text.Length / 10, 40)}");
        names.Add($"{side}:last={(text.Length > 0 && char.IsPunctuation(text[^1]) ? text[^1] : '_')}");
    }

    static string[] Words(string text) => TextKey.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    static void AddNgrams(List<string> names, string[] words, string side)
    {
        for (var i = 0; i < words.Length; i++)
        {
            names.Add(side + words[i]);
            if (i + 1 < words.Length) names.Add(side + words[i] + " " + words[i + 1]);
        }
    }

    /// <summary>Features get weight 1/sqrt(n), so long texts do not dominate the learning rate.</summary>
    static (int[], float[]) Hash(List<string> names)
    {
        var indices = names.Select(n => (int)(Data.Embedded.StableRandom.Hash(n) % Buckets)).Append(Buckets - 1).ToArray();
        var value = (float)(1 / Math.Sqrt(indices.Length));
        return (indices, indices.Select((_, i) => i == indices.Length - 1 ? 1f : value).ToArray());
    }
}
