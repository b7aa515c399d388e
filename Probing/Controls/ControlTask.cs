using Probing.Training.Data;
using Probing.Training.Data.Embedded;

namespace Probing.Probing.Controls;

/// <summary>
/// Control labels for probe selectivity (Hewitt &amp; Liang, 2019), adapted to sentence-level tasks:
/// an example's control label depends only on one word type, its first content word (the first
/// word of its first text with at least three letters that is not a function word; else its first
/// word). Each type maps, by a fixed hash, to a label drawn from train's label distribution, so the
/// control task has the real task's label balance, and a probe can solve it only by memorising
/// type → label pairs. Selectivity = task score − control score; a probe that scores high on
/// controls is reading its own capacity, not the representation. Classification tasks only.
/// </summary>
public sealed class ControlTask
{
    static readonly HashSet<string> FunctionWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "but", "not", "you", "your", "are", "was", "were", "with", "that", "this", "what", "does",
        "have", "has", "had", "from", "they", "their", "there", "which", "who", "its", "his", "her", "our", "all", "any",
        "can", "will", "would", "should", "could", "been", "being", "into", "than", "then", "them", "these", "those",
    };

    readonly double[] cumulative;

    ControlTask(double[] cumulative) => this.cumulative = cumulative;

    /// <summary>The control task of <paramref name="spec"/>, with label frequencies taken from <paramref name="train"/>.</summary>
    public static ControlTask For(TaskSpec spec, IReadOnlyList<Example> train)
    {
        if (spec.IsRegression) throw new ArgumentException($"{spec.Name}: control tasks are defined for classification");
        var counts = new double[spec.Labels.Count];
        foreach (var example in train) counts[example.Label]++;
        var total = Math.Max(1, counts.Sum());
        var cumulative = new double[counts.Length];
        double running = 0;
        for (var i = 0; i < counts.Length; i++) cumulative[i] = running += counts[i] / total;
        return new ControlTask(cumulative);
    }

    public int[] Labels(IReadOnlyList<Example> examples) => [.. examples.Select(e => LabelOf(WordType(e.Text1)))];

    public int LabelOf(string wordType)
    {
        var u = (StableRandom.Hash("control-task:" + wordType) >> 11) * (1.0 / (1UL << 53));
        for (var label = 0; label < cumulative.Length; label++)
            if (u < cumulative[label]) return label;
        return cumulative.Length - 1;
    }

    /// <summary>The word type an example's control label depends on.</summary>
    public static string WordType(string text)
    {
        var words = TextKey.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.FirstOrDefault(w => w.Count(char.IsLetter) >= 3 && !FunctionWords.Contains(w)) ?? words.FirstOrDefault() ?? "";
    }
}
