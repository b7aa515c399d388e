using NUnit.Framework;
using Probing.Training.Evaluation;

namespace Probing.Tests.Evaluation;

/// <summary>ROUGE, its tokenizer and the Porter stemmer on cases worked out by hand (derivations in the comments).</summary>
public class RougeTests
{
    // Porter steps, NLTK mode. m = number of vowel→consonant transitions ("measure") of the stem.
    [TestCase("relational", "relat")]   // step 2: -ational → -ate (stem "rel", m=1 > 0) → "relate"; step 4: -ate needs m("rel") > 1, and the rule list stops at the first matching suffix; step 5a: "relat" has m=2 > 1, drop e
    [TestCase("hopping", "hop")]        // step 1b: -ing leaves "hopp" (has a vowel); double consonant pp, not l/s/z → "hop"
    [TestCase("filing", "file")]        // step 1b: "fil" has m=1 and ends consonant-vowel-consonant (l not w/x/y) → add e; step 5a keeps it (m("fil")=1 and *o)
    [TestCase("dies", "die")]           // NLTK: a four-letter word ending -ies → -ie (Martin Porter's version gives "di"); step 5a keeps e (m("di")=0)
    [TestCase("ponies", "poni")]        // step 1a: -ies → -i
    [TestCase("caresses", "caress")]    // step 1a: -sses → -ss
    [TestCase("happy", "happi")]        // step 1c (NLTK): y → i after a consonant, the stem "happ" being longer than one letter
    [TestCase("enjoy", "enjoy")]        // step 1c (NLTK): y after a vowel stays
    [TestCase("dying", "die")]          // NLTK's irregular forms
    [TestCase("skies", "sky")]          // NLTK's irregular forms
    [TestCase("agreed", "agre")]        // step 1b: -eed with m("agr")=1 > 0 → "agree"; step 5a: m("agre")=1 and "gre" is not c-v-c → drop e
    [TestCase("is", "is")]              // two letters or fewer are returned as they are
    public void StemsAsNltkDoes(string word, string stem) => Assert.That(PorterStemmer.Stem(word), Is.EqualTo(stem));

    [Test]
    public void TokenizerLowerCasesSplitsOnNonAlphanumericsAndStemsWordsLongerThanThree()
    {
        // "GPL-3+" → gpl, 3; "Licensed" → licensed → step 1b: -ed leaves "licens" (m=2, so no e is added) → "licens";
        // "(v2.7)" → v2, 7; "runs" (4 letters) → run; "ran" (3 letters) is never stemmed; "İ" is i then a separator, as Python lower-cases it.
        Assert.That(RougeTokenizer.Tokenize("GPL-3+ Licensed (v2.7) runs ran İx"), Is.EqualTo(new[] { "gpl", "3", "licens", "v2", "7", "run", "ran", "i", "x" }));
        Assert.That(RougeTokenizer.Tokenize("Licensed runs", stem: false), Is.EqualTo(new[] { "licensed", "runs" }));
        Assert.That(RougeTokenizer.Tokenize("— … ¿?"), Is.Empty);
    }

    [Test]
    public void RepeatedNGramsAreClippedByTheOtherSidesCount()
    {
        var scores = Rouge.Score("the the the cat", "the the cat cat");
        // Unigrams: target {the:3, cat:1}, prediction {the:2, cat:2}; overlap min(3,2) + min(1,2) = 3 of 4 each side.
        Assert.That(scores.Rouge1, Is.EqualTo(new RougeScore(0.75, 0.75, 0.75)));
        // Bigrams: target {the the:2, the cat:1}, prediction {the the:1, the cat:1, cat cat:1}; overlap 1 + 1 = 2 of 3 each side.
        Assert.That(scores.Rouge2.Precision, Is.EqualTo(2.0 / 3));
        Assert.That(scores.Rouge2.Recall, Is.EqualTo(2.0 / 3));
        Assert.That(scores.Rouge2.F1, Is.EqualTo(2.0 / 3).Within(1e-15));
        // LCS: "the the cat" (3 tokens) → 3/4 each side.
        Assert.That(scores.RougeL, Is.EqualTo(new RougeScore(0.75, 0.75, 0.75)));

        // A prediction repeating one word earns it once per occurrence in the target: "a a" against "a a a a a"
        // overlaps min(5, 2) = 2 → precision 2/2, recall 2/5, F1 = 2 · 1 · 0.4 / 1.4 = 4/7.
        var repeated = Rouge.Score("a a a a a", "a a").Rouge1;
        Assert.That((repeated.Precision, repeated.Recall), Is.EqualTo((1.0, 0.4)));
        Assert.That(repeated.F1, Is.EqualTo(4.0 / 7).Within(1e-15));
    }

    [Test]
    public void StemmingMatchesInflectedForms()
    {
        // Target tokens: the, runner (runners: step 1a drops s; step 4's -er needs m("runn") > 1, it is 1), are, run (running:
        // step 1b leaves "runn", double n → "run"). Prediction: a, runner, run (runs: step 1a). Overlap runner + run = 2:
        // precision 2/3, recall 2/4, F1 = 2 · (2/3)(1/2) / (2/3 + 1/2) = (2/3) / (7/6) = 4/7.
        var stemmed = Rouge.Score("the runners are running", "a runner runs").Rouge1;
        Assert.That((stemmed.Precision, stemmed.Recall), Is.EqualTo((2.0 / 3, 0.5)));
        Assert.That(stemmed.F1, Is.EqualTo(4.0 / 7).Within(1e-15));
        // Without stemming no token is shared.
        Assert.That(Rouge.Score("the runners are running", "a runner runs", stem: false).Rouge1, Is.EqualTo(RougeScore.Zero));
    }

    [TestCase("the cat sat", "")]
    [TestCase("", "the cat sat")]
    [TestCase("", "")]
    [TestCase("the cat sat", "?! ... --")] // punctuation only: no tokens
    public void AnEmptySideScoresZeroNotNaN(string target, string prediction)
    {
        var scores = Rouge.Score(target, prediction);
        foreach (var type in CorpusRouge.Types) Assert.That(scores[type], Is.EqualTo(RougeScore.Zero), type.ToString());
    }

    [Test]
    public void RougeLCountsALongestCommonSubsequenceNotAContiguousRun()
    {
        // "police kill the gunman" vs "the gunman kill police": LCS is "the gunman" (2); any order-preserving match is at most 2.
        var scores = Rouge.Score("police kill the gunman", "the gunman kill police");
        Assert.That(scores.RougeL, Is.EqualTo(RougeScore.Of(0.5, 0.5)));
        Assert.That(scores.Rouge1, Is.EqualTo(new RougeScore(1, 1, 1)));
        // Non-contiguous: "testing two" in "testing one two" → LCS 2: precision 2/2, recall 2/3, F1 = 2·(2/3)/(5/3) = 4/5.
        var gap = Rouge.Score("testing one two", "testing two").RougeL;
        Assert.That((gap.Precision, gap.Recall), Is.EqualTo((1.0, 2.0 / 3)));
        Assert.That(gap.F1, Is.EqualTo(0.8).Within(1e-15));
    }

    [Test]
    public void RougeLsumTakesTheUnionOfEachTargetSentencesLcsWithEveryPredictionSentence()
    {
        // Lin (2004), section 3.2: target w1..w5; prediction sentences share [w1 w2] and [w1 w3 w5] with it.
        // Union {w1, w2, w3, w5} = 4 hits; recall 4/5, precision 4/10 (the prediction has 10 tokens), F1 = 2·0.32/1.2 = 8/15.
        var lsum = Rouge.Score("w1 w2 w3 w4 w5", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5").RougeLsum;
        Assert.That((lsum.Precision, lsum.Recall), Is.EqualTo((0.4, 0.8)));
        Assert.That(lsum.F1, Is.EqualTo(8.0 / 15).Within(1e-15));
        // ROUGE-L over the same texts treats them as one sequence: LCS of w1..w5 with "w1 w2 w6 w7 w8 w1 w3 w8 w9 w5" is w1 w2 w3 w5 = 4 too,
        // but split differently the two differ (next case).
    }

    [Test]
    public void RougeLsumNeverCreditsATokenTwice()
    {
        // Target [the cat]; both prediction sentences match it entirely, but the union is the target's own two tokens,
        // and each is counted against the token counts: hits 2; recall 2/2, precision 2/4, F1 = 2·0.5/1.5 = 2/3.
        var repeatedPrediction = Rouge.Score("the cat", "the cat\nthe cat").RougeLsum;
        Assert.That((repeatedPrediction.Precision, repeatedPrediction.Recall), Is.EqualTo((0.5, 1.0)));
        // Reversed: the first target sentence uses up the prediction's only "the" and "cat"; the second finds none left.
        // Hits 2; recall 2/4, precision 2/2.
        var repeatedTarget = Rouge.Score("the cat\nthe cat", "the cat").RougeLsum;
        Assert.That((repeatedTarget.Precision, repeatedTarget.Recall), Is.EqualTo((1.0, 0.5)));
        // Sentence splitting is the difference from ROUGE-L: "a b c" + "d e f" as one sentence against two.
        Assert.That(Rouge.Score("a b c d e f", "d e f\na b c").RougeLsum.Recall, Is.EqualTo(1.0)); // each target token in some LCS
        Assert.That(Rouge.Score("a b c d e f", "d e f\na b c").RougeL.Recall, Is.EqualTo(0.5));    // one sequence: LCS "a b c" or "d e f"
    }
}
