using NUnit.Framework;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Pretraining;

namespace Probing.Tests.Checkpoints;

/// <summary>The base every command starts from: intact, of the preset's shape, and refused when damaged.</summary>
public class ShippedBaseTests
{
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
