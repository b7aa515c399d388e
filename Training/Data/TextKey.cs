using System.Text;

namespace Probing.Training.Data;

/// <summary>
/// The key under which texts are compared across files (held-out dev/test text vs pretraining
/// lines, train vs dev leakage): lower case, every run of non-letters/digits a single space,
/// trimmed. Tokenisation differences such as <c>" no evidence "</c> vs <c>"no evidence"</c> vanish.
/// </summary>
public static class TextKey
{
    public static string Normalize(string text)
    {
        var key = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && key.Length > 0) key.Append(' ');
                key.Append(char.ToLowerInvariant(c));
                pendingSpace = false;
            }
            else pendingSpace = true;
        }
        return key.ToString();
    }
}
