using System.Globalization;
using System.Text;

namespace Probing.Training.Text;

/// <summary>
/// NFD-decomposes text and drops the non-spacing marks (Mn), as BERT's uncased tokenizer does.
/// The workbench runs with InvariantGlobalization, where <see cref="string.Normalize()"/> leaves
/// non-ASCII text unchanged, so the canonical decompositions ship as an embedded table.
/// NFD's canonical reordering of adjacent combining marks is skipped: it cannot change which
/// non-spacing marks are dropped, and only 25 kept code points (spacing viramas, the Hangul tone
/// marks U+302E/U+302F, musical symbols) have a non-zero combining class, so only two of those
/// written out of canonical order could come out differently from Python's unicodedata.
/// </summary>
static class AccentStripper
{
    const string TableResource = "Probing.Training.Text.CanonicalDecompositions.txt";
    const int FirstDecomposable = 0xC0; // À: nothing below it decomposes or is a mark
    static readonly Lazy<Dictionary<int, int[]>> decompositions = new(LoadTable);

    public static string Apply(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value < FirstDecomposable)
            {
                result.Append(rune.ToString());
                continue;
            }
            foreach (var part in Decompose(rune))
                if (Rune.GetUnicodeCategory(part) != UnicodeCategory.NonSpacingMark)
                    result.Append(part.ToString());
        }
        return result.ToString();
    }

    static IEnumerable<Rune> Decompose(Rune rune)
    {
        if (TryDecomposeHangul(rune.Value, out var jamo)) return jamo.Select(value => new Rune(value));
        return decompositions.Value.TryGetValue(rune.Value, out var parts) ? parts.Select(value => new Rune(value)) : [rune];
    }

    // Unicode's algorithmic decomposition of precomposed Hangul syllables into leading, vowel and trailing jamo.
    static bool TryDecomposeHangul(int value, out int[] jamo)
    {
        const int SyllableBase = 0xAC00, LeadBase = 0x1100, VowelBase = 0x1161, TrailBase = 0x11A7;
        const int VowelCount = 21, TrailCount = 28, SyllableCount = 11172;
        int index = value - SyllableBase;
        if (index is < 0 or >= SyllableCount)
        {
            jamo = [];
            return false;
        }
        int lead = LeadBase + index / (VowelCount * TrailCount);
        int vowel = VowelBase + index % (VowelCount * TrailCount) / TrailCount;
        int trail = index % TrailCount;
        jamo = trail == 0 ? [lead, vowel] : [lead, vowel, TrailBase + trail];
        return true;
    }

    static Dictionary<int, int[]> LoadTable()
    {
        using var stream = typeof(AccentStripper).Assembly.GetManifestResourceStream(TableResource)
            ?? throw new InvalidOperationException($"embedded resource {TableResource} is missing from the build");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<int, int[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#')) continue;
            var values = line.Split(' ').Select(hex => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            table.Add(values[0], values[1..]);
        }
        return table;
    }
}
