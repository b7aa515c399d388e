namespace Probing.Training.Evaluation;

/// <summary>
/// The Porter stemmer exactly as NLTK runs it in its default mode (NLTK_EXTENSIONS, nltk 3.8),
/// which is what Google's rouge-score calls with <c>use_stemmer=True</c>: Porter (1980) with
/// Martin Porter's later changes plus NLTK's own (a table of irregular forms such as dying → die,
/// 'ies'/'ied' of four-letter words → 'ie', y → i only after a consonant that is not the whole
/// stem, 'alli' before 'bli', 'fulli', 'logi', two-letter words and cvc stems of length 2).
/// Hand-written rather than taken from a package because ROUGE numbers must match rouge-score's
/// to the last digit, and the one stemmer on this project's package mirror (Lucene.Net's, a
/// pre-release) follows Martin Porter's C version, which stems differently where NLTK extends it.
/// Checked against nltk itself on every token of the embedded summarization task and on the
/// edge cases of each rule (<c>Tests/Evaluation/Fixtures</c>).
/// </summary>
public static class PorterStemmer
{
    /// <summary>NLTK's irregular forms: the word on the left stems to the word on the right, bypassing the rules.</summary>
    static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["sky"] = "sky", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie",
        ["news"] = "news", ["innings"] = "inning", ["inning"] = "inning", ["outings"] = "outing", ["outing"] = "outing",
        ["cannings"] = "canning", ["canning"] = "canning", ["howe"] = "howe",
        ["proceed"] = "proceed", ["exceed"] = "exceed", ["succeed"] = "succeed",
    };

    delegate bool Condition(string stem);

    /// <summary>A suffix rule: replace <see cref="Suffix"/> by <see cref="Replacement"/> where the condition holds of the remaining stem.</summary>
    sealed record Rule(string Suffix, string Replacement, Condition? When = null);

    /// <summary>The "*d" pseudo-suffix of step 1b: the word ends in a double consonant.</summary>
    const string DoubleConsonant = "*d";

    public static string Stem(string word)
    {
        var stem = word.ToLowerInvariant();
        if (Irregular.TryGetValue(word, out var irregular)) return irregular;
        if (word.Length <= 2) return stem;
        stem = Step1A(stem);
        stem = Step1B(stem);
        stem = Step1C(stem);
        stem = Step2(stem);
        stem = Step3(stem);
        stem = Step4(stem);
        stem = Step5A(stem);
        return Step5B(stem);
    }

    static bool IsConsonant(string word, int i) => word[i] switch
    {
        'a' or 'e' or 'i' or 'o' or 'u' => false,
        // y is a vowel after a consonant, a consonant first or after a vowel.
        'y' => i == 0 || !IsConsonant(word, i - 1),
        _ => true,
    };

    /// <summary>m in [C](VC){m}[V]: the number of vowel-to-consonant transitions.</summary>
    static int Measure(string stem)
    {
        var m = 0;
        for (var i = 0; i + 1 < stem.Length; i++)
            if (!IsConsonant(stem, i) && IsConsonant(stem, i + 1)) m++;
        return m;
    }

    static bool PositiveMeasure(string stem) => Measure(stem) > 0;
    static bool MeasureAboveOne(string stem) => Measure(stem) > 1;

    static bool ContainsVowel(string stem)
    {
        for (var i = 0; i < stem.Length; i++) if (!IsConsonant(stem, i)) return true;
        return false;
    }

    static bool EndsDoubleConsonant(string word) =>
        word.Length >= 2 && word[^1] == word[^2] && IsConsonant(word, word.Length - 1);

    /// <summary>*o: ends consonant-vowel-consonant, the last not w, x or y; NLTK adds two-letter vowel-consonant words.</summary>
    static bool EndsCvc(string word) =>
        (word.Length >= 3 && IsConsonant(word, word.Length - 3) && !IsConsonant(word, word.Length - 2)
            && IsConsonant(word, word.Length - 1) && word[^1] is not ('w' or 'x' or 'y'))
        || (word.Length == 2 && !IsConsonant(word, 0) && IsConsonant(word, 1));

    /// <summary>
    /// The first rule whose suffix the word ends with decides: its replacement where its condition
    /// holds, else the word unchanged — later rules are not tried (NLTK's <c>_apply_rule_list</c>).
    /// </summary>
    static string Apply(string word, params Rule[] rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Suffix == DoubleConsonant && EndsDoubleConsonant(word))
            {
                var shorter = word[..^2];
                return rule.When == null || rule.When(shorter) ? shorter + rule.Replacement : word;
            }
            if (word.EndsWith(rule.Suffix, StringComparison.Ordinal))
            {
                var stem = word[..^rule.Suffix.Length];
                return rule.When == null || rule.When(stem) ? stem + rule.Replacement : word;
            }
        }
        return word;
    }

    static string Step1A(string word)
    {
        if (word.Length == 4 && word.EndsWith("ies", StringComparison.Ordinal)) return word[..^3] + "ie";
        return Apply(word, new("sses", "ss"), new("ies", "i"), new("ss", "ss"), new("s", ""));
    }

    static string Step1B(string word)
    {
        if (word.EndsWith("ied", StringComparison.Ordinal)) return word[..^3] + (word.Length == 4 ? "ie" : "i");
        if (word.EndsWith("eed", StringComparison.Ordinal))
        {
            var stem = word[..^3];
            return Measure(stem) > 0 ? stem + "ee" : word;
        }
        string? intermediate = null;
        foreach (var suffix in new[] { "ed", "ing" })
        {
            if (!word.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var candidate = word[..^suffix.Length];
            if (ContainsVowel(candidate)) { intermediate = candidate; break; }
        }
        if (intermediate == null) return word;
        var last = intermediate[^1];
        return Apply(intermediate,
            new("at", "ate"), new("bl", "ble"), new("iz", "ize"),
            new(DoubleConsonant, last.ToString(), _ => last is not ('l' or 's' or 'z')),
            new("", "e", stem => Measure(stem) == 1 && EndsCvc(stem)));
    }

    static string Step1C(string word) =>
        Apply(word, new Rule("y", "i", stem => stem.Length > 1 && IsConsonant(stem, stem.Length - 1)));

    static string Step2(string word)
    {
        if (word.EndsWith("alli", StringComparison.Ordinal) && PositiveMeasure(word[..^4])) return Step2(word[..^4] + "al");
        return Apply(word,
            new("ational", "ate", PositiveMeasure), new("tional", "tion", PositiveMeasure),
            new("enci", "ence", PositiveMeasure), new("anci", "ance", PositiveMeasure),
            new("izer", "ize", PositiveMeasure), new("bli", "ble", PositiveMeasure),
            new("alli", "al", PositiveMeasure), new("entli", "ent", PositiveMeasure),
            new("eli", "e", PositiveMeasure), new("ousli", "ous", PositiveMeasure),
            new("ization", "ize", PositiveMeasure), new("ation", "ate", PositiveMeasure),
            new("ator", "ate", PositiveMeasure), new("alism", "al", PositiveMeasure),
            new("iveness", "ive", PositiveMeasure), new("fulness", "ful", PositiveMeasure),
            new("ousness", "ous", PositiveMeasure), new("aliti", "al", PositiveMeasure),
            new("iviti", "ive", PositiveMeasure), new("biliti", "ble", PositiveMeasure),
            new("fulli", "ful", PositiveMeasure),
            // The l of 'logi' stays with the stem for the measure, so geo-logi and theo-logi qualify.
            new("logi", "log", _ => PositiveMeasure(word[..^3])));
    }

    static string Step3(string word) => Apply(word,
        new("icate", "ic", PositiveMeasure), new("ative", "", PositiveMeasure), new("alize", "al", PositiveMeasure),
        new("iciti", "ic", PositiveMeasure), new("ical", "ic", PositiveMeasure), new("ful", "", PositiveMeasure),
        new("ness", "", PositiveMeasure));

    static string Step4(string word) => Apply(word,
        new("al", "", MeasureAboveOne), new("ance", "", MeasureAboveOne), new("ence", "", MeasureAboveOne),
        new("er", "", MeasureAboveOne), new("ic", "", MeasureAboveOne), new("able", "", MeasureAboveOne),
        new("ible", "", MeasureAboveOne), new("ant", "", MeasureAboveOne), new("ement", "", MeasureAboveOne),
        new("ment", "", MeasureAboveOne), new("ent", "", MeasureAboveOne),
        new("ion", "", stem => MeasureAboveOne(stem) && stem[^1] is ('s' or 't')),
        new("ou", "", MeasureAboveOne), new("ism", "", MeasureAboveOne), new("ate", "", MeasureAboveOne),
        new("iti", "", MeasureAboveOne), new("ous", "", MeasureAboveOne), new("ive", "", MeasureAboveOne),
        new("ize", "", MeasureAboveOne));

    /// <summary>Both e-rules are tried (m &gt; 1, then m = 1 and not *o), unlike the first-match rule lists.</summary>
    static string Step5A(string word)
    {
        if (!word.EndsWith('e')) return word;
        var stem = word[..^1];
        var m = Measure(stem);
        return m > 1 || (m == 1 && !EndsCvc(stem)) ? stem : word;
    }

    static string Step5B(string word) => Apply(word, new Rule("ll", "l", _ => Measure(word[..^1]) > 1));
}
