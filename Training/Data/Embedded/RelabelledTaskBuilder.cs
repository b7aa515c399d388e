namespace Probing.Training.Data.Embedded;

/// <summary>
/// A task made of another task's texts under new labels, split by split: the text (one field)
/// of every example of the source task's train, dev and test split stays in that split and is
/// labelled from the source rows that hold it. Its dev/test texts are therefore dev/test texts of
/// the source task — already held out from pretraining — and it adds no held-out text of its own.
/// <para>
/// <paramref name="sourceRows"/> gives every source row as (split its group is assigned to, or
/// null where the label does not depend on the split; text; new label). An example's text takes
/// the label of the rows with its <see cref="TextKey.Normalize"/> key in its split (and those
/// with a null split); where they disagree, or the label is not one of <paramref name="labels"/>,
/// the example is dropped. Repeated texts within a split are dropped and each split is capped at
/// 6000/1000/1000 in its natural label proportions (<see cref="SplitSampler"/>).
/// </para>
/// </summary>
public sealed class RelabelledTaskBuilder(
    string name,
    ITaskBuilder source,
    Func<Example, string> field,
    Func<SourceFiles, IEnumerable<(string? Split, string Text, string Label)>> sourceRows,
    IReadOnlyList<string> labels) : ITaskBuilder
{
    /// <summary>A label that two source rows of one text disagree on.</summary>
    const string Conflict = "\0conflict";

    public BuiltTask Build(SourceFiles sources)
    {
        var lookup = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (split, text, label) in sourceRows(sources))
        {
            var key = Key(split, text);
            lookup[key] = !lookup.TryGetValue(key, out var seen) || seen == label ? label : Conflict;
        }
        var pools = SplitAssignment.Names.ToDictionary(s => s, _ => new List<Example>());
        foreach (var (split, examples) in source.Build(sources).Splits)
            foreach (var example in examples)
            {
                var text = field(example);
                var found = new[] { Key(split, text), Key(null, text) }
                    .Select(k => lookup.GetValueOrDefault(k)).OfType<string>().Distinct().ToList();
                var index = found.Count == 1 ? labels.IndexOf(found[0]) : -1;
                if (index >= 0) pools[split].Add(Example.Classified(text, null, index));
            }
        var splits = SplitSampler.Sample(pools, new(6000, 1000, 1000), labels.Count, balanced: false, StableRandom.For(name));
        return new BuiltTask(splits, []);
    }

    static string Key(string? split, string text) => (split ?? "*") + "\t" + TextKey.Normalize(text);
}
