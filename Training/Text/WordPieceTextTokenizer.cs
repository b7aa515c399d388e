using System.Text;
using Microsoft.ML.Tokenizers;
using Probing.Training.Infrastructure;

namespace Probing.Training.Text;

/// <summary>
/// BERT uncased WordPiece giving Hugging Face <c>BertTokenizer</c>'s ids. Microsoft.ML.Tokenizers'
/// <see cref="WordPieceTokenizer"/> does the greedy longest-match over the vocabulary;
/// <see cref="BertUncasedNormalizer"/> and <see cref="BertPreTokenizer"/> supply Hugging Face's
/// BasicTokenizer rules, which the library's BertTokenizer does not follow.
/// </summary>
/// <remarks>
/// We run the normalizer and pre-tokenizer ourselves and hand the library one word at a time,
/// rather than configuring them in <see cref="WordPieceOptions"/>, for two reasons:
/// the library counts its per-word limit in UTF-16 units while Hugging Face counts code points
/// (so a word of at most 100 code points with characters beyond U+FFFF would wrongly become [UNK]);
/// and Hugging Face matches special tokens such as "[MASK]" in the raw text, before lower-casing
/// would turn them into "[mask]".
/// </remarks>
public sealed class WordPieceTextTokenizer : ITextTokenizer
{
    /// <summary>Hugging Face's limit: a longer word is one [UNK].</summary>
    public const int MaxCodePointsPerWord = 100;

    const string ContinuationPrefix = "##";

    readonly WordPieceVocabulary vocabulary;
    readonly WordPieceTokenizer wordPiece;
    readonly int[] specialIds;

    WordPieceTextTokenizer(WordPieceVocabulary vocabulary)
    {
        this.vocabulary = vocabulary;
        PadId = vocabulary.RequireId(BertSpecialTokens.Pad);
        UnkId = vocabulary.RequireId(BertSpecialTokens.Unknown);
        ClsId = vocabulary.RequireId(BertSpecialTokens.Classifier);
        SepId = vocabulary.RequireId(BertSpecialTokens.Separator);
        MaskId = vocabulary.RequireId(BertSpecialTokens.Mask);
        specialIds = [PadId, UnkId, ClsId, SepId, MaskId];
        using var pieces = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', vocabulary.Pieces)));
        wordPiece = WordPieceTokenizer.Create(pieces, new WordPieceOptions
        {
            UnknownToken = BertSpecialTokens.Unknown,
            ContinuingSubwordPrefix = ContinuationPrefix,
            // Words reach the library only after the code-point check; 100 code points are at most 200 UTF-16 units.
            MaxInputCharsPerWord = 2 * MaxCodePointsPerWord,
        });
    }

    /// <summary>Loads a <c>vocab.txt</c> (plain or .gz); a missing file or special token is an <see cref="InputError"/>.</summary>
    public static WordPieceTextTokenizer FromVocabFile(string path) => new(WordPieceVocabulary.Load(path));

    /// <summary>The workbench's bert-base-uncased vocabulary (30,522 pieces).</summary>
    public static string DefaultVocabPath => ProjectPaths.Data("vocab", "bert-base-uncased-vocab.txt.gz");

    public static WordPieceTextTokenizer BertBaseUncased() => FromVocabFile(DefaultVocabPath);

    public int VocabSize => vocabulary.Pieces.Count;
    public int PadId { get; }
    public int UnkId { get; }
    public int ClsId { get; }
    public int SepId { get; }
    public int MaskId { get; }
    public IReadOnlyList<string> Vocabulary => vocabulary.Pieces;

    public bool IsSpecial(int id) => specialIds.Contains(id);

    /// <summary>Writes the vocabulary as a plain <c>vocab.txt</c>, one piece a line in id order.</summary>
    public void SaveVocabulary(string path) => VocabularyFile.Write(path, vocabulary.Pieces);

    public int[] Tokenize(string text)
    {
        var ids = new List<int>();
        foreach (var (segment, specialId) in SpecialTokenSplitter.Split(text, BertSpecialTokens.All, vocabulary.Ids))
        {
            if (specialId is { } id) ids.Add(id);
            else AddWords(segment, ids);
        }
        return [.. ids];
    }

    public EncodedText Encode(string text, string? pair = null, int maxLength = 128) =>
        PairTemplate.Bert(ClsId, SepId).Encode(Tokenize(text), pair is null ? null : Tokenize(pair), maxLength);

    /// <summary>
    /// Hugging Face's BertTokenizer decoding: pieces joined by spaces, " ##" removed (so a word's
    /// continuation pieces rejoin it), then <c>clean_up_tokenization</c>, which takes the spaces back
    /// out before punctuation and English contractions ("hello , world ! it ' s" → "hello, world! it's").
    /// Lower-casing and accent stripping cannot be undone.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        var pieces = ids.Where(id => !IsSpecial(id)).Select(id => vocabulary.Pieces[id]);
        var text = string.Join(' ', pieces).Replace(" " + ContinuationPrefix, "", StringComparison.Ordinal).Trim();
        return CleanUpTokenizationSpaces(text);
    }

    static readonly (string From, string To)[] CleanUps =
        [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")];

    static string CleanUpTokenizationSpaces(string text)
    {
        foreach (var (from, to) in CleanUps) text = text.Replace(from, to, StringComparison.Ordinal);
        return text;
    }

    void AddWords(string segment, List<int> ids)
    {
        var normalized = BertUncasedNormalizer.Instance.Normalize(segment);
        foreach (var (offset, length) in BertPreTokenizer.Instance.PreTokenize(normalized))
        {
            var word = normalized.AsSpan(offset, length);
            if (CodePointCount(word) > MaxCodePointsPerWord) ids.Add(UnkId);
            else ids.AddRange(wordPiece.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
        }
    }

    static int CodePointCount(ReadOnlySpan<char> word)
    {
        int count = 0;
        foreach (var _ in word.EnumerateRunes()) count++;
        return count;
    }
}
