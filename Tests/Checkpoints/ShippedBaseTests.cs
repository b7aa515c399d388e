using NUnit.Framework;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Pretraining;

namespace Probing.Tests.Checkpoints;

/// <summary>The base every command starts from: intact, of the preset's shape, refused when damaged, and read as Hugging Face reads it.</summary>
public class ShippedBaseTests
{
    [Test]
    public void ShippedBaseGivesTransformersIdsHiddenStatesAndMaskedLogits()
    {
        var reference = HfFixture.LoadFile(HfFixture.ShippedBaseByTransformers);
        var folder = ModelFolder.Resolve(ModelFolder.ShippedBaseDirectory);
        reference.AssertTokenizerGivesTheIds(folder.LoadTokenizer(), maxLength: 128);

        using var model = EncoderCheckpoint.LoadMaskedLanguageModel(folder.Path);
        reference.AssertEveryLayerMatches(model.Encoder, "shipped base");

        var predictions = reference.MaskedPredictions(model);
        Assert.That(predictions, Has.Length.EqualTo(2), "the reference masks two positions");
        foreach (var ((logits, bestId), expected) in predictions.Zip(reference.Masked))
        {
            Assert.That(logits, Is.EqualTo(expected.TopLogits).Within(HfFixture.Tolerance));
            Assert.That(bestId, Is.EqualTo(expected.TopIds[0]));
        }
    }

    [Test]
    public void ShippedBaseLoadsWithItsChecksumsAndAFlippedByteIsRefused()
    {
        var copy = Directory.CreateTempSubdirectory("probing-shipped-base-").FullName;
        foreach (var file in Directory.GetFiles(ModelFolder.ShippedBaseDirectory))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));

        var folder = ModelFolder.Resolve(copy);
        var expected = ScalingGrid.ShippedBase.Config.Model;
        var config = EncoderCheckpoint.ReadConfig(copy);
        Assert.That((config.NumHiddenLayers, config.HiddenSize, config.NumAttentionHeads, config.IntermediateSize),
            Is.EqualTo((expected.NumHiddenLayers, expected.HiddenSize, expected.NumAttentionHeads, expected.IntermediateSize)));
        using (var encoder = folder.LoadEncoder())
            Assert.That(encoder.parameters().Sum(p => p.numel()), Is.GreaterThan(1_000_000));
        var total = Directory.GetFiles(ModelFolder.ShippedBaseDirectory).Sum(f => new FileInfo(f).Length);
        Assert.That(total, Is.LessThanOrEqualTo(25L * 1024 * 1024), "the shipped base stays within 25 MB");

        var weights = Path.Combine(copy, EncoderCheckpoint.WeightsFile);
        using (var stream = new FileStream(weights, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Seek(stream.Length / 2, SeekOrigin.Begin);
            var b = stream.ReadByte();
            stream.Seek(-1, SeekOrigin.Current);
            stream.WriteByte((byte)(b ^ 0x10));
        }
        var error = Assert.Throws<InputError>(() => ModelFolder.Resolve(copy));
        Assert.That(error!.Message, Does.StartWith(weights).And.Contain("SHA-256"));
    }
}
