namespace Probing.Training.Data.Embedded;

/// <summary>
/// The real single-sentence tasks: each row of a source table becomes one example, grouped by a
/// key (product, speech, document, or the text itself for repeated texts) so that a group never
/// straddles two splits.
/// </summary>
public sealed class SingleSentenceBuilder(
    string name,
    Func<SourceFiles, IEnumerable<(string Group, string Label, string Text)>> rows,
    IReadOnlyList<string> labels,
    double heldOutFraction,
    SplitSampler.Sizes sizes,
    bool balanced) : ITaskBuilder
{
    public BuiltTask Build(SourceFiles sources)
    {
        var pools = SplitAssignment.Names.ToDictionary(s => s, _ => new List<Example>());
        foreach (var (group, label, text) in rows(sources))
        {
            var index = labels.IndexOf(label);
            if (index < 0 || TextKey.Normalize(text).Length == 0) continue;
            pools[SplitAssignment.Of(group, heldOutFraction, heldOutFraction)].Add(Example.Classified(text, null, index));
        }
        var splits = SplitSampler.Sample(pools, sizes, labels.Count, balanced, StableRandom.For(name));
        return new BuiltTask(splits, []);
    }

    public static int WordCount(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}

static class ListExtensions
{
    public static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }
}
