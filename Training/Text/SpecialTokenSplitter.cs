namespace Probing.Training.Text;

/// <summary>
/// Cuts raw text at the special tokens it contains, matched exactly and case-sensitively as
/// Hugging Face does before normalizing: "a[MASK]b" gives "a", [MASK], "b"; "[mask]" is plain text.
/// </summary>
static class SpecialTokenSplitter
{
    public static IEnumerable<(string Segment, int? SpecialId)> Split(string text, IReadOnlyList<string> specials, IReadOnlyDictionary<string, int> ids)
    {
        int position = 0;
        while (position < text.Length)
        {
            var (index, special) = NextSpecial(text, position, specials);
            if (special is null)
            {
                yield return (text[position..], null);
                yield break;
            }
            if (index > position) yield return (text[position..index], null);
            yield return (special, ids[special]);
            position = index + special.Length;
        }
    }

    /// <summary>The earliest special token at or after <paramref name="start"/>, the longest on a tie.</summary>
    static (int Index, string? Special) NextSpecial(string text, int start, IReadOnlyList<string> specials)
    {
        (int Index, string? Special) best = (text.Length, null);
        foreach (var special in specials)
        {
            int index = text.IndexOf(special, start, StringComparison.Ordinal);
            if (index >= 0 && (index < best.Index || index == best.Index && special.Length > best.Special!.Length))
                best = (index, special);
        }
        return best;
    }
}
