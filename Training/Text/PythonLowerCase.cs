using System.Globalization;
using System.Text;

namespace Probing.Training.Text;

/// <summary>
/// Lower-cases like Python's <c>str.lower()</c>, which BERT's uncased tokenizer uses. .NET's invariant
/// lower-casing is the simple per-character mapping; Python adds the two rules that can change ids:
/// U+0130 (İ) becomes "i" + U+0307, and capital sigma at the end of a word becomes final sigma (ς).
/// </summary>
static class PythonLowerCase
{
    const int CapitalSigma = 0x03A3;
    const int DottedCapitalI = 0x0130;

    public static string Apply(string text)
    {
        var result = new StringBuilder(text.Length);
        var runes = text.EnumerateRunes().ToArray();
        for (int i = 0; i < runes.Length; i++)
        {
            var rune = runes[i];
            if (rune.Value == CapitalSigma) result.Append(IsFinalSigma(runes, i) ? 'ς' : 'σ');
            else if (rune.Value == DottedCapitalI) result.Append("i\u0307");
            else result.Append(Rune.ToLowerInvariant(rune).ToString());
        }
        return result.ToString();
    }

    /// <summary>Unicode's Final_Sigma: a cased letter before it and none after it, skipping case-ignorable characters.</summary>
    static bool IsFinalSigma(Rune[] runes, int index)
    {
        int before = index - 1;
        while (before >= 0 && IsCaseIgnorable(runes[before])) before--;
        if (before < 0 || !IsCased(runes[before])) return false;
        int after = index + 1;
        while (after < runes.Length && IsCaseIgnorable(runes[after])) after++;
        return after == runes.Length || !IsCased(runes[after]);
    }

    // Cased = Lu, Ll, Lt plus Other_Lowercase/Other_Uppercase; the ranges are the members of the
    // latter that are not also case-ignorable (taken from Python's unicodedata, Unicode 14).
    static bool IsCased(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        || rune.Value is 0x00AA or 0x00BA or >= 0x2160 and <= 0x217F or >= 0x24B6 and <= 0x24E9
            or >= 0x1F130 and <= 0x1F149 or >= 0x1F150 and <= 0x1F169 or >= 0x1F170 and <= 0x1F189;

    // Case_Ignorable = Mn, Me, Cf, Lm, Sk plus the apostrophes, periods and colons of Word_Break
    // MidLetter, MidNumLet and Single_Quote.
    static bool IsCaseIgnorable(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || rune.Value is 0x0027 or 0x002E or 0x003A or 0x00B7 or 0x0387 or 0x055F or 0x05F4 or 0x2018 or 0x2019
            or 0x2024 or 0x2027 or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
}
