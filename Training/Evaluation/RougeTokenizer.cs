using System.Text;

namespace Probing.Training.Evaluation;

/// <summary>
/// rouge-score's default tokenizer: lower-case, every run of characters outside [a-z0-9] becomes
/// a separator, and (with stemming) tokens longer than 3 characters go through
/// <see cref="PorterStemmer"/>. Python lower-cases with full Unicode case mapping before the
/// [^a-z0-9] test; only two non-ASCII characters turn into ASCII letters that way, and both are
/// handled: U+212A KELVIN SIGN becomes 'k', and U+0130 (İ) becomes 'i' followed by a combining dot
/// that separates it from what follows. Every other non-ASCII character is a separator.
/// </summary>
public static class RougeTokenizer
{
    public static IReadOnlyList<string> Tokenize(string text, bool stem = true)
    {
        var tokens = new List<string>();
        var token = new StringBuilder();
        void Flush()
        {
            if (token.Length == 0) return;
            var word = token.ToString();
            var stemmed = stem && word.Length > 3 ? PorterStemmer.Stem(word) : word;
            if (stemmed.Length > 0) tokens.Add(stemmed); // rouge-score drops empty tokens; no [a-z0-9] word stems to one, but keep the rule

            token.Clear();
        }
        foreach (var c in text)
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') token.Append(c);
            else if (c is >= 'A' and <= 'Z') token.Append((char)(c + ('a' - 'A')));
            else if (c == '\u212A') token.Append('k');
            else if (c == '\u0130') { token.Append('i'); Flush(); }
            else Flush();
        }
        Flush();
        return tokens;
    }
}
