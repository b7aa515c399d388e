using Probing.Training.Infrastructure;

namespace Probing.Training.Text;

/// <summary>A BERT <c>vocab.txt</c> (plain or .gz): one piece a line, the id is the line number from 0.</summary>
sealed class WordPieceVocabulary
{
    public IReadOnlyList<string> Pieces { get; }
    public IReadOnlyDictionary<string, int> Ids { get; }
    public string Source { get; }

    WordPieceVocabulary(List<string> pieces, Dictionary<string, int> ids, string source)
    {
        Pieces = pieces;
        Ids = ids;
        Source = source;
    }

    public static WordPieceVocabulary Load(string path)
    {
        var pieces = TextFiles.ReadLines(path).ToList();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < pieces.Count; id++)
        {
            // Blank lines keep their id (Hugging Face counts them too) but can never match a word.
            if (pieces[id].Length == 0) continue;
            if (!ids.TryAdd(pieces[id], id))
                throw InputError.AtLine(path, id + 1, $"piece '{pieces[id]}' already on line {ids[pieces[id]] + 1}");
        }
        var vocabulary = new WordPieceVocabulary(pieces, ids, path);
        foreach (var special in BertSpecialTokens.All) vocabulary.RequireId(special);
        return vocabulary;
    }

    public int RequireId(string piece) =>
        Ids.TryGetValue(piece, out var id) ? id : throw InputError.InFile(Source, $"vocabulary lacks the special token {piece}");
}
