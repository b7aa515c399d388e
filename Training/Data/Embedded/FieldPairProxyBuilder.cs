namespace Probing.Training.Data.Embedded;

/// <summary>
/// field-pair-proxy (do the two texts speak of the same kind of thing?, standing in for QQP): two
/// WordNet definitions of synsets in the same lexicographer field ("same") or in two different ones
/// ("different"), over wordnet-field's eight noun fields. Built from wordnet-field's splits, and a pair
/// never leaves the split of its texts: the dev/test texts are qnli-proxy's held-out definitions, so the
/// task adds no held-out text. Every definition is the first text of one "same" and one "different"
/// candidate, its partner drawn from the same split. The shipped base reads the field of one definition
/// well (wordnet-field's probe is 45 points above its majority class), so the pair relation is one a
/// small encoder can learn, unlike qqp-proxy's senses of one word.
/// </summary>
public sealed class FieldPairProxyBuilder : ITaskBuilder
{
    public static readonly string[] Labels = ["different", "same"];

    public BuiltTask Build(SourceFiles sources)
    {
        var random = StableRandom.For("field-pair-proxy");
        var pools = SplitAssignment.Names.ToDictionary(s => s, _ => new List<Example>());
        foreach (var (split, examples) in RelabelledTasks.WordNetFieldTask.Build(sources).Splits)
        {
            var byField = examples.GroupBy(e => e.Label).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var example in examples)
            {
                var same = byField[example.Label];
                if (same.Count > 1)
                {
                    var partner = same[random.Next(same.Count - 1)];
                    if (partner == example) partner = same[^1];
                    pools[split].Add(Example.Classified(example.Text1, partner.Text1, 1));
                }
                if (same.Count < examples.Count)
                {
                    Example other;
                    do other = examples[random.Next(examples.Count)]; while (other.Label == example.Label);
                    pools[split].Add(Example.Classified(example.Text1, other.Text1, 0));
                }
            }
        }
        return new BuiltTask(SplitSampler.Sample(pools, new(6000, 1000, 1000), Labels.Length, balanced: true, random), []);
    }
}
