using System.Text.RegularExpressions;
using Probing.Training.Infrastructure;

namespace Probing.Training.Data.Embedded;

/// <summary>
/// The source files under <c>data/sources/</c> (described in data/PROVENANCE.md), each read once
/// and shared by the builders. Tables are TSV with a header, tab-separated, no quoting.
/// </summary>
public sealed partial class SourceFiles(string sourcesDir)
{
    readonly Dictionary<string, IReadOnlyList<string[]>> tables = [];
    IReadOnlyList<Synset>? wordNet;

    public string Directory => sourcesDir;

    /// <summary>split, label, product, text</summary>
    public IReadOnlyList<string[]> FineFoods => Table("fine_foods.tsv.gz", ["split", "label", "product", "text"]);
    /// <summary>group, label, subject</summary>
    public IReadOnlyList<string[]> SpamSubjects => Table("spamassassin_subjects.tsv.gz", ["group", "label", "subject"]);
    /// <summary>doc, genre, sentence</summary>
    public IReadOnlyList<string[]> Brown => Table("brown_genre.tsv.gz", ["doc", "genre", "sentence"]);
    /// <summary>year, president, party, sentence</summary>
    public IReadOnlyList<string[]> Sotu => Table("sotu_sentences.tsv.gz", ["year", "president", "party", "sentence"]);
    /// <summary>category, text</summary>
    public IReadOnlyList<string[]> Fortunes => Table("fortunes.tsv.gz", ["category", "text"]);
    /// <summary>split, group, package, synopsis, description</summary>
    public IReadOnlyList<string[]> DebianDescriptions => Table("debian_descriptions.tsv.gz", ["split", "group", "package", "synopsis", "description"]);

    public IReadOnlyList<Synset> WordNet => wordNet ??=
        new[] { "noun", "verb", "adj", "adv" }.SelectMany(part => Synset.ReadAll(Path.Combine(sourcesDir, "wordnet", $"data.{part}.gz"))).ToList();

    /// <summary>Collapses whitespace (tabs and newlines included) so a text fits one TSV field.</summary>
    public static string Clean(string text) => Whitespace().Replace(text, " ").Trim();

    IReadOnlyList<string[]> Table(string file, string[] header)
    {
        if (tables.TryGetValue(file, out var rows)) return rows;
        var path = Path.Combine(sourcesDir, file);
        var read = new List<string[]>();
        var lineNumber = 0;
        foreach (var line in TextFiles.ReadLines(path))
        {
            lineNumber++;
            var fields = line.Split('\t');
            if (lineNumber == 1)
            {
                if (!fields.SequenceEqual(header)) throw InputError.AtLine(path, 1, $"expected header '{string.Join("\\t", header)}'");
                continue;
            }
            if (fields.Length != header.Length)
                throw InputError.AtLine(path, lineNumber, $"expected {header.Length} columns, found {fields.Length}");
            read.Add(fields.Select(Clean).ToArray());
        }
        return tables[file] = read;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
