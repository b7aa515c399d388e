namespace Probing.Training.Text;

/// <summary>
/// Shrinks a WordPiece vocabulary to what a corpus needs: the special tokens, every piece the
/// corpus's tokenization uses at least minCount times, and every single-character piece (with and
/// without ##) so that unseen words still split into characters instead of becoming [UNK].
/// Pieces keep their original order. Greedy longest-match then splits any word whose pieces were
/// all kept exactly as the full vocabulary does.
/// </summary>
public static class VocabularyPruner
{
    public static IReadOnlyList<string> Prune(ITextTokenizer tokenizer, IEnumerable<string> corpusLines, int minCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        var counts = new int[tokenizer.VocabSize];
        foreach (var line in corpusLines)
            foreach (var id in tokenizer.Tokenize(line))
                counts[id]++;
        return tokenizer.Vocabulary
            .Where((piece, id) => tokenizer.IsSpecial(id) || counts[id] >= minCount || IsSingleCharacter(piece))
            .ToList();
    }

    /// <summary>Prunes and writes the result as a plain <c>vocab.txt</c>.</summary>
    public static IReadOnlyList<string> PruneToFile(ITextTokenizer tokenizer, IEnumerable<string> corpusLines, string outputPath, int minCount = 1)
    {
        var pieces = Prune(tokenizer, corpusLines, minCount);
        VocabularyFile.Write(outputPath, pieces);
        return pieces;
    }

    static bool IsSingleCharacter(string piece)
    {
        var body = piece.Length > 2 && piece.StartsWith("##", StringComparison.Ordinal) ? piece[2..] : piece;
        return body.Length > 0 && body.EnumerateRunes().Count() == 1;
    }
}
