using System.Text;
using Microsoft.ML.Tokenizers;

namespace Probing.Training.Text;

/// <summary>
/// Splits normalized text into the words WordPiece sees, like Hugging Face's BasicTokenizer:
/// at whitespace, and every punctuation character (see <see cref="BertCharacters.IsPunctuation"/>)
/// becomes a word of its own. (The library's pre-tokenizers use \w, which drops symbols like $ + = €.)
/// </summary>
public sealed class BertPreTokenizer : PreTokenizer
{
    public static readonly BertPreTokenizer Instance = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text);

    static List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var words = new List<(int Offset, int Length)>();
        int wordStart = 0;
        int offset = 0;
        // After normalization the only whitespace left is the space and U+2028/U+2029, which
        // Python's str.split() also splits at; Rune.IsWhiteSpace covers exactly those.
        foreach (var rune in text.EnumerateRunes())
        {
            bool isSpace = Rune.IsWhiteSpace(rune);
            bool isPunctuation = BertCharacters.IsPunctuation(rune);
            if (isSpace || isPunctuation)
            {
                if (offset > wordStart) words.Add((wordStart, offset - wordStart));
                if (isPunctuation) words.Add((offset, rune.Utf16SequenceLength));
                wordStart = offset + rune.Utf16SequenceLength;
            }
            offset += rune.Utf16SequenceLength;
        }
        if (offset > wordStart) words.Add((wordStart, offset - wordStart));
        return words;
    }
}
