using NUnit.Framework;
using Probing.Training.Text;

namespace Probing.Tests.Text;

public class VocabularyPrunerTests
{
    static readonly string[] Corpus =
    [
        "The tokenization of unaffable words.",
        "Hello, world! Hello again, world.",
    ];

    static readonly Lazy<WordPieceTextTokenizer> full = new(WordPieceTextTokenizer.BertBaseUncased);

    string prunedPath = "";

    [SetUp]
    public void CreatePath() => prunedPath = Path.Combine(Path.GetTempPath(), $"probing-pruned-{Guid.NewGuid():N}.txt");

    [TearDown]
    public void DeletePath() => File.Delete(prunedPath);

    WordPieceTextTokenizer PruneCorpus(int minCount = 1)
    {
        VocabularyPruner.PruneToFile(full.Value, Corpus, prunedPath, minCount);
        return WordPieceTextTokenizer.FromVocabFile(prunedPath);
    }

    static string[] Pieces(WordPieceTextTokenizer tokenizer, string text) =>
        tokenizer.Tokenize(text).Select(id => tokenizer.Vocabulary[id]).ToArray();

    [Test]
    public void WordsOfThePrunedVocabularyTokenizeAsWithTheFullOne()
    {
        var pruned = PruneCorpus();
        // The corpus lines, and new text made only of the corpus's words.
        foreach (var text in Corpus.Append("Unaffable world, hello tokenization of the words again!"))
            Assert.That(Pieces(pruned, text), Is.EqualTo(Pieces(full.Value, text)), text);
    }

    [Test]
    public void KeepsSpecialsUsedPiecesAndSingleCharactersInOriginalOrder()
    {
        var pruned = PruneCorpus();
        var vocabulary = pruned.Vocabulary;
        Assert.That(vocabulary, Is.SubsetOf(full.Value.Vocabulary));
        var fullIds = full.Value.Vocabulary.Select((piece, id) => (piece, id)).ToDictionary(entry => entry.piece, entry => entry.id);
        var originalIds = vocabulary.Select(piece => fullIds[piece]).ToList();
        Assert.That(originalIds, Is.Ordered.Ascending);
        Assert.That(vocabulary, Does.Contain("[MASK]").And.Contain("una").And.Contain("##ffa").And.Contain("z").And.Contain("##z"));
        Assert.That(vocabulary, Does.Not.Contain("playing").And.Not.Contain("[unused0]"));
        // 5 specials + 1,994 single-character pieces in bert-base-uncased + 11 longer pieces the corpus uses
        // (the token ##ization of una ##ffa ##ble words hello world again).
        Assert.That(vocabulary, Has.Count.EqualTo(5 + 1994 + 11));
    }

    [Test]
    public void UnseenWordsSplitIntoCharactersInsteadOfUnk()
    {
        var pruned = PruneCorpus();
        // Full vocabulary: z ##yx. Pruned: ##yx was never used, the single characters were kept.
        Assert.That(Pieces(pruned, "zyx"), Is.EqualTo(new[] { "z", "##y", "##x" }));
        Assert.That(Pieces(full.Value, "zyx"), Is.EqualTo(new[] { "z", "##yx" }));
    }

    [Test]
    public void MinCountDropsRarePieces()
    {
        var vocabulary = PruneCorpus(minCount: 2).Vocabulary;
        // hello, world and "," appear twice; "tokenization"'s pieces once.
        Assert.That(vocabulary, Does.Contain("hello").And.Contain("world"));
        Assert.That(vocabulary, Does.Not.Contain("token").And.Not.Contain("##ization"));
    }
}
