using System.Text;
using Microsoft.ML.Tokenizers;

namespace Probing.Training.Text;

/// <summary>
/// The text side of Hugging Face's uncased BasicTokenizer, in its order: drop control characters,
/// NUL and U+FFFD; turn whitespace into spaces; put spaces around CJK ideographs; lower-case like
/// Python; NFD-decompose and drop non-spacing marks. (Microsoft.ML.Tokenizers' own BertNormalizer
/// deletes \t \n \r instead of turning them into spaces.)
/// </summary>
public sealed class BertUncasedNormalizer : Normalizer
{
    public static readonly BertUncasedNormalizer Instance = new();

    public override string Normalize(string original) => Normalize(original.AsSpan());

    public override string Normalize(ReadOnlySpan<char> original) =>
        AccentStripper.Apply(PythonLowerCase.Apply(CleanAndSpaceIdeographs(original)));

    static string CleanAndSpaceIdeographs(ReadOnlySpan<char> text)
    {
        var result = new StringBuilder(text.Length);
        // Unpaired surrogates enumerate as U+FFFD and are dropped, as Python drops them as category Cs.
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is 0 or 0xFFFD || BertCharacters.IsControl(rune)) continue;
            if (BertCharacters.IsWhitespace(rune)) result.Append(' ');
            else if (BertCharacters.IsCjkIdeograph(rune)) result.Append(' ').Append(rune.ToString()).Append(' ');
            else result.Append(rune.ToString());
        }
        return result.ToString();
    }
}
