using Probing.Training.Infrastructure;

namespace Probing.Training.Data.Embedded;

/// <summary>
/// One WordNet 3.0 synset from a <c>data.*</c> file (wndb(5WN) format): its words, its hypernym
/// and hyponym links, its first definition, its example sentences and its lexicographer file
/// (<c>noun.animal</c>, <c>verb.motion</c>, …). The gloss is split at ';' the way the pretraining
/// corpus splits it, so each definition and example is one corpus line.
/// </summary>
public sealed record Synset(string Key, IReadOnlyList<string> Words, IReadOnlyList<string> Hypernyms,
    IReadOnlyList<string> Hyponyms, string Definition, IReadOnlyList<string> Examples, string LexFile)
{
    /// <summary>The lexicographer files by number (lexnames(5WN)): a synset's <c>lex_filenum</c> indexes this list.</summary>
    public static readonly string[] LexFileNames =
    [
        "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact", "noun.attribute",
        "noun.body", "noun.cognition", "noun.communication", "noun.event", "noun.feeling", "noun.food", "noun.group",
        "noun.location", "noun.motive", "noun.object", "noun.person", "noun.phenomenon", "noun.plant", "noun.possession",
        "noun.process", "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
        "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition", "verb.consumption",
        "verb.contact", "verb.creation", "verb.emotion", "verb.motion", "verb.perception", "verb.possession",
        "verb.social", "verb.stative", "verb.weather", "adj.ppl",
    ];

    public static IEnumerable<Synset> ReadAll(string path)
    {
        var lineNumber = 0;
        foreach (var line in TextFiles.ReadLines(path))
        {
            lineNumber++;
            if (line.StartsWith("  ", StringComparison.Ordinal)) continue; // licence header
            yield return Parse(line, path, lineNumber);
        }
    }

    static Synset Parse(string line, string path, int lineNumber)
    {
        var bar = line.IndexOf(" | ", StringComparison.Ordinal);
        if (bar < 0) throw InputError.AtLine(path, lineNumber, "WordNet synset without a gloss");
        var fields = line[..bar].Split(' ');
        try
        {
            var pos = PosOf(fields[2]);
            var key = pos + fields[0];
            var lexFile = LexFileNames[int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture)];
            var wordCount = Convert.ToInt32(fields[3], 16);
            var words = new List<string>();
            for (var i = 0; i < wordCount; i++) words.Add(WordOf(fields[4 + 2 * i]));
            var pointerStart = 4 + 2 * wordCount;
            var pointerCount = int.Parse(fields[pointerStart], System.Globalization.CultureInfo.InvariantCulture);
            var hypernyms = new List<string>();
            var hyponyms = new List<string>();
            for (var i = 0; i < pointerCount; i++)
            {
                var at = pointerStart + 1 + 4 * i;
                var target = PosOf(fields[at + 2]) + fields[at + 1];
                if (fields[at] is "@" or "@i") hypernyms.Add(target);
                else if (fields[at] is "~" or "~i") hyponyms.Add(target);
            }
            var (definition, examples) = SplitGloss(line[(bar + 3)..]);
            return new Synset(key, words, hypernyms, hyponyms, definition, examples, lexFile);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw InputError.AtLine(path, lineNumber, $"malformed WordNet synset ({e.Message})");
        }
    }

    /// <summary>Satellite adjectives ('s') share the adjective namespace of pointers.</summary>
    static string PosOf(string pos) => pos == "s" ? "a" : pos;

    /// <summary>"ice_cream" → "ice cream"; adjective markers such as "(p)" are dropped.</summary>
    static string WordOf(string raw)
    {
        var paren = raw.IndexOf('(');
        return (paren > 0 ? raw[..paren] : raw).Replace('_', ' ').ToLowerInvariant();
    }

    static (string Definition, IReadOnlyList<string> Examples) SplitGloss(string gloss)
    {
        var definition = "";
        var examples = new List<string>();
        foreach (var raw in gloss.Split(';'))
        {
            var part = raw.Trim();
            if (part.Length == 0) continue;
            if (part.StartsWith('"'))
            {
                if (part.Length > 2 && part.EndsWith('"') && part.Count(c => c == '"') == 2) examples.Add(part[1..^1].Trim());
            }
            else if (definition.Length == 0) definition = part;
        }
        return (definition, examples);
    }
}
