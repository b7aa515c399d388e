using NUnit.Framework;
using Probing.Training.Infrastructure;
using Probing.Training.Text;

namespace Probing.Tests.Text;

/// <summary>
/// Expected ids are worked out by hand from data/vocab/bert-base-uncased-vocab.txt.gz (id = line
/// number - 1) and Hugging Face BertTokenizer's rules, never copied from this code's output.
/// </summary>
public class WordPieceTextTokenizerTests
{
    static readonly Lazy<WordPieceTextTokenizer> bert = new(WordPieceTextTokenizer.BertBaseUncased);
    static WordPieceTextTokenizer Bert => bert.Value;

    [Test]
    public void DefaultVocabularyHasBertSpecialIds()
    {
        Assert.That(Bert.VocabSize, Is.EqualTo(30522));
        Assert.That(new[] { Bert.PadId, Bert.UnkId, Bert.ClsId, Bert.SepId, Bert.MaskId }, Is.EqualTo(new[] { 0, 100, 101, 102, 103 }));
        Assert.That(Bert.Vocabulary[7592], Is.EqualTo("hello"));
        Assert.That(Bert.IsSpecial(103) && !Bert.IsSpecial(7592));
    }

    [Test]
    public void HelloWorldMatchesHuggingFace() =>
        Assert.That(Bert.Encode("Hello, world!").Ids, Is.EqualTo(new[] { 101, 7592, 1010, 2088, 999, 102 }));

    [Test]
    public void AccentsAreStrippedAfterLowerCasing() =>
        // cafe 7668, naive 15743
        Assert.That(Bert.Tokenize("café naïve"), Is.EqualTo(new[] { 7668, 15743 }));

    [Test]
    public void DecomposedAccentsAreStrippedToo() =>
        Assert.That(Bert.Tokenize("Cafe\u0301 CAFÉ"), Is.EqualTo(new[] { 7668, 7668 }));

    [Test]
    public void WordsSplitIntoContinuationPieces()
    {
        // una 14477 ##ffa 20961 ##ble 3468; token 19204 ##ization 3989
        Assert.That(Bert.Tokenize("unaffable"), Is.EqualTo(new[] { 14477, 20961, 3468 }));
        Assert.That(Bert.Tokenize("Tokenization"), Is.EqualTo(new[] { 19204, 3989 }));
    }

    [Test]
    public void DecodeRejoinsPiecesAndSkipsSpecials()
    {
        // [CLS] una ##ffa ##ble token ##ization [SEP] [PAD]
        Assert.That(Bert.Decode([101, 14477, 20961, 3468, 19204, 3989, 102, 0]), Is.EqualTo("unaffable tokenization"));
        // hello , world ! as Hugging Face's clean_up_tokenization gives it: no space before punctuation.
        Assert.That(Bert.Decode([7592, 1010, 2088, 999]), Is.EqualTo("hello, world!"));
        Assert.That(Bert.Decode([]), Is.Empty);
    }

    [Test]
    public void DecodeUndoesTokenizationUpToCaseAndAccents()
    {
        Assert.That(Bert.Decode(Bert.Tokenize("It's an unaffable Café, isn't it?")), Is.EqualTo("it's an unaffable cafe, isn't it?"));
        Assert.That(Bert.Decode(Bert.Encode("The cat sat.", "Did it?").Ids), Is.EqualTo("the cat sat. did it?"));
    }

    [Test]
    public void WordWithAnUnknownPieceIsOneUnk() =>
        // "hello" is a piece but neither "☃" nor "##☃" is, and ☃ (So) is not punctuation: the whole word is [UNK].
        Assert.That(Bert.Tokenize("say hello☃"), Is.EqualTo(new[] { 2360, 100 }));

    [Test]
    public void WordLongerThanHundredCharactersIsUnk()
    {
        Assert.That(Bert.Tokenize(new string('a', 101)), Is.EqualTo(new[] { 100 }));
        Assert.That(Bert.Tokenize(new string('a', 100)), Does.Not.Contain(100));
    }

    [Test]
    public void SymbolsAreTheirOwnTokens() =>
        // it 2009 costs 5366 $ 1002 5 1019 + 1009 3 1017 = 1027 8 1022 € 1574
        Assert.That(Bert.Tokenize("It costs $5 + 3 = 8 €"),
            Is.EqualTo(new[] { 2009, 5366, 1002, 1019, 1009, 1017, 1027, 1022, 1574 }));

    [Test]
    public void NewlinesAndTabsActAsSpaces() =>
        // one 2028 two 2048 three 2093
        Assert.That(Bert.Tokenize("one\ntwo\tthree\r\n"), Is.EqualTo(new[] { 2028, 2048, 2093 }));

    [Test]
    public void ControlAndZeroWidthCharactersAreDropped() =>
        Assert.That(Bert.Tokenize("hel\u0000lo wo\u200Brld\uFFFD"), Is.EqualTo(new[] { 7592, 2088 }));

    [Test]
    public void DottedCapitalILowerCasesLikePython() =>
        // Python: "İ".lower() == "i" + U+0307, and the mark is stripped: istanbul 9960
        Assert.That(Bert.Tokenize("İSTANBUL"), Is.EqualTo(new[] { 9960 }));

    [Test]
    public void HangulSyllablesDecomposeIntoJamo() =>
        // NFD("한") = U+1112 U+1161 U+11AB: ᄒ 1469 ##ᅡ 30006 ##ᆫ 30021
        Assert.That(Bert.Tokenize("한"), Is.EqualTo(new[] { 1469, 30006, 30021 }));

    [Test]
    public void CjkIdeographsAreSeparateWords() =>
        // 中 1746 文 1861
        Assert.That(Bert.Tokenize("中文"), Is.EqualTo(new[] { 1746, 1861 }));

    [Test]
    public void CapitalSigmaLowerCasesLikePython()
    {
        // Python: "ΟΔΟΣ".lower() == "οδος" (final sigma) -> ο 1169 ##δ 29722 ##ος 15297
        Assert.That(Bert.Tokenize("ΟΔΟΣ"), Is.EqualTo(new[] { 1169, 29722, 15297 }));
        // Not final: "ΣΑ".lower() == "σα" -> σ 1173 ##α 14608
        Assert.That(Bert.Tokenize("ΣΑ"), Is.EqualTo(new[] { 1173, 14608 }));
    }

    [Test]
    public void SpecialTokensInRawTextAreKeptCaseSensitively()
    {
        // hello 7592 [MASK] 103 ! 999; lower-case "[mask]" is plain text: [ 1031 mask 7308 ] 1033
        Assert.That(Bert.Tokenize("Hello[MASK]!"), Is.EqualTo(new[] { 7592, 103, 999 }));
        Assert.That(Bert.Tokenize("[mask]"), Is.EqualTo(new[] { 1031, 7308, 1033 }));
    }

    [Test]
    public void PairGetsSeparatorsAndTypeIds()
    {
        var encoded = Bert.Encode("Hello, world!", "one two");
        Assert.That(encoded.Ids, Is.EqualTo(new[] { 101, 7592, 1010, 2088, 999, 102, 2028, 2048, 102 }));
        Assert.That(encoded.TypeIds, Is.EqualTo(new[] { 0, 0, 0, 0, 0, 0, 1, 1, 1 }));
    }

    [Test]
    public void PairIsTruncatedLongestFirst()
    {
        // 6 + 2 pieces, room for 5: the first loses three tokens from its end.
        var encoded = Bert.Encode("one two three one two three", "one two", maxLength: 8);
        Assert.That(encoded.Ids, Is.EqualTo(new[] { 101, 2028, 2048, 2093, 102, 2028, 2048, 102 }));
        Assert.That(encoded.TypeIds, Is.EqualTo(new[] { 0, 0, 0, 0, 0, 1, 1, 1 }));
    }

    [Test]
    public void TruncationTieShortensTheSecondSequence() =>
        Assert.That(Bert.Encode("one two three", "one two three", maxLength: 8).Ids,
            Is.EqualTo(new[] { 101, 2028, 2048, 2093, 102, 2028, 2048, 102 }));

    [Test]
    public void SingleTextIsTruncatedToMaxLength() =>
        Assert.That(Bert.Encode("one two three", maxLength: 4).Ids, Is.EqualTo(new[] { 101, 2028, 2048, 102 }));

    [Test]
    public void MissingVocabularyFileIsAnInputErrorNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-probing", "vocab.txt");
        var error = Assert.Throws<InputError>(() => WordPieceTextTokenizer.FromVocabFile(path));
        Assert.That(error!.Message, Does.StartWith(path));
    }

    [Test]
    public void VocabularyWithoutASpecialTokenIsAnInputErrorNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"probing-vocab-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello"]);
        try
        {
            var error = Assert.Throws<InputError>(() => WordPieceTextTokenizer.FromVocabFile(path));
            Assert.That(error!.Message, Does.StartWith(path).And.Contain("[MASK]"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void SavedVocabularyLoadsBackIdentically()
    {
        var path = Path.Combine(Path.GetTempPath(), $"probing-vocab-{Guid.NewGuid():N}.txt");
        try
        {
            Bert.SaveVocabulary(path);
            var reloaded = WordPieceTextTokenizer.FromVocabFile(path);
            Assert.That(reloaded.Vocabulary, Is.EqualTo(Bert.Vocabulary));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
