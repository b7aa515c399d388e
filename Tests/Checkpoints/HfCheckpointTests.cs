using NUnit.Framework;
using Probing.Probing.Features;
using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.Model;
using Probing.Training.Text;

namespace Probing.Tests.Checkpoints;

/// <summary>Hugging Face folders load into the workbench's encoder and give the reference's hidden states and ids.</summary>
public class HfCheckpointTests
{
    [TestCase(HfFixture.Bert)]
    [TestCase(HfFixture.Roberta)]
    public void EveryLayerMatchesThePyTorchReference(string name)
    {
        using var encoder = ModelFolder.Resolve(HfFixture.Directory(name)).LoadEncoder();
        HfFixture.Load(name).AssertEveryLayerMatches(encoder, name);
    }

    [TestCase(HfFixture.Bert)]
    [TestCase(HfFixture.Roberta)]
    public void TokenizerGivesTheReferenceIds(string name) =>
        HfFixture.Load(name).AssertTokenizerGivesTheIds(ModelFolder.Resolve(HfFixture.Directory(name)).LoadTokenizer(), maxLength: 512);

    [Test]
    public void FolderKindComesFromModelType()
    {
        Assert.That(ModelFolder.Resolve(HfFixture.Directory(HfFixture.Roberta)).LoadTokenizer(), Is.InstanceOf<ByteLevelBpeTextTokenizer>());
        Assert.That(ModelFolder.Resolve(HfFixture.Directory(HfFixture.Bert)).LoadTokenizer(), Is.InstanceOf<WordPieceTextTokenizer>());
    }

    [Test]
    public void RobertaPairFormatAndTruncation()
    {
        var tokenizer = ModelFolder.Resolve(HfFixture.Directory(HfFixture.Roberta)).LoadTokenizer();
        var encoded = tokenizer.Encode("the cat sat on the mat", "the dog", maxLength: 8);
        Assert.That(encoded.Ids, Has.Length.EqualTo(8));
        Assert.That(encoded.Ids[0], Is.EqualTo(tokenizer.ClsId));
        Assert.That(encoded.Ids.Count(id => id == tokenizer.SepId), Is.EqualTo(3), "<s> a </s></s> b </s>");
        Assert.That(encoded.Ids[^1], Is.EqualTo(tokenizer.SepId));
        Assert.That(encoded.TypeIds, Has.All.Zero);
        Assert.That(tokenizer.Tokenize("a <mask> b"), Does.Contain(tokenizer.MaskId));
        Assert.That(tokenizer.Tokenize("a <mask>"), Is.EqualTo(tokenizer.Tokenize("a").Append(tokenizer.MaskId)), "<mask> swallows the space before it");
    }

    [TestCase(HfFixture.Bert)]
    [TestCase(HfFixture.Roberta)]
    public void LongInputsAreCutToThePositionTable(string name)
    {
        var folder = ModelFolder.Resolve(HfFixture.Directory(name));
        using var encoder = folder.LoadEncoder();
        var longText = string.Join(' ', Enumerable.Repeat("the quick brown fox", 40));
        var features = new FeatureExtractor().Extract(encoder, folder.LoadTokenizer(), [Example.Classified(longText, "and a pair", 0)], [2], Pooling.Mean, maxLength: 512);
        Assert.That(features[0].Rows, Is.EqualTo(1));
    }
}
