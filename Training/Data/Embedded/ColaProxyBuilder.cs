namespace Probing.Training.Data.Embedded;

/// <summary>
/// cola-proxy (acceptability, standing in for CoLA): a Brown sentence as written ("acceptable")
/// vs a different Brown sentence with two words swapped, a short span shuffled, a word moved or
/// a word dropped ("unacceptable"). Only word tokens after the first are touched, so neither
/// punctuation nor a capital letter out of place gives the corruption away. Split by document,
/// with the same documents held out as brown-genre; the originals of held-out corrupted
/// sentences are listed as extra held-out text.
/// </summary>
public sealed class ColaProxyBuilder : ITaskBuilder
{
    public static readonly string[] Labels = ["unacceptable", "acceptable"];

    public BuiltTask Build(SourceFiles sources)
    {
        var random = StableRandom.For("cola-proxy");
        var pools = SplitAssignment.Names.ToDictionary(s => s, _ => new List<Example>());
        var originals = new Dictionary<string, string>();
        foreach (var row in sources.Brown)
        {
            var tokens = row[2].Split(' ');
            var words = Enumerable.Range(1, tokens.Length - 1).Where(i => tokens[i].Any(char.IsLetter)).ToArray();
            if (tokens.Length is < 6 or > 30 || words.Length < 5) continue;
            var pool = pools[SplitAssignment.Of(RealTasks.BrownGroup(row[0]), RealTasks.BrownHeldOut, RealTasks.BrownHeldOut)];
            if (random.Next(2) == 1) { pool.Add(Example.Classified(row[2], null, 1)); continue; }
            var corrupted = string.Join(' ', Corrupt(tokens, words, random));
            if (corrupted == row[2]) continue;
            originals.TryAdd(corrupted, row[2]);
            pool.Add(Example.Classified(corrupted, null, 0));
        }
        var splits = SplitSampler.Sample(pools, new(6000, 1000, 1000), Labels.Length, balanced: true, random);
        var extra = new[] { SplitAssignment.Dev, SplitAssignment.Test }
            .SelectMany(s => splits[s]).Where(e => e.Label == 0).Select(e => originals[e.Text1]).ToList();
        return new BuiltTask(splits, extra);
    }

    static List<string> Corrupt(string[] tokens, int[] words, StableRandom random)
    {
        var result = tokens.ToList();
        switch (random.Next(4))
        {
            case 0: // swap two words that are not neighbours
                var a = random.Next(words.Length - 2);
                var b = a + 2 + random.Next(words.Length - a - 2);
                (result[words[a]], result[words[b]]) = (result[words[b]], result[words[a]]);
                break;
            case 1: // shuffle a span of three or four consecutive words
                var length = 3 + random.Next(2);
                var start = random.Next(words.Length - length + 1);
                var span = Enumerable.Range(start, length).Select(k => tokens[words[k]]).ToList();
                random.Shuffle(span);
                for (var k = 0; k < length; k++) result[words[start + k]] = span[k];
                break;
            case 2: // move one word to another word's place
                var from = words[random.Next(words.Length)];
                var word = result[from];
                result.RemoveAt(from);
                result.Insert(words[random.Next(words.Length)], word);
                break;
            default: // drop one word
                result.RemoveAt(words[random.Next(words.Length)]);
                break;
        }
        return result;
    }
}
