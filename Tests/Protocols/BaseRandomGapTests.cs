using NUnit.Framework;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;
using Probing.Workbench.Commands;

namespace Probing.Tests.Protocols;

public class BaseRandomGapTests
{
    static GapRow Row(string task, int seed, double gap) => new(task, 256, seed, "accuracy", 50 + gap, 50, gap, "0123456789ab");

    [Test]
    public void SummaryAveragesOverSeedsAndMarksGapsUnderTwoPoints()
    {
        var summaries = GapSummary.Of([Row("a", 1, 3.0), Row("a", 2, 1.0), Row("b", 1, 1.9), Row("b", 2, 2.0)]).ToDictionary(s => s.Task);
        // a: mean 2.0, sd sqrt(((3-2)² + (1-2)²) / 1) = 1.414; b: mean 1.95.
        Assert.That(summaries["a"].Gap, Is.EqualTo(2.0).Within(1e-12));
        Assert.That(summaries["a"].GapSd, Is.EqualTo(Math.Sqrt(2)).Within(1e-12));
        Assert.That(summaries["a"].Discriminates, Is.True);
        Assert.That(summaries["b"].Discriminates, Is.False);
        Assert.That(ProbeGapFile.NonDiscriminating([Row("a", 1, 3.0), Row("a", 2, 1.0), Row("b", 1, 1.9), Row("b", 2, 2.0)]), Is.EquivalentTo(new[] { "b" }));
    }

    /// <summary>
    /// A "base" whose weights are exactly the seed-1 random encoder: the base − random gap of seed 1 is
    /// zero by construction, so the task is marked, left out of the default probe, and the saved gaps
    /// are never read for another base.
    /// </summary>
    [Test]
    public void ABaseThatIsARandomEncoderIsMarkedAndLeftOutOfTheDefaultProbe()
    {
        var directory = Directory.CreateTempSubdirectory("probing-gap-").FullName;
        var otherDirectory = Directory.CreateTempSubdirectory("probing-gap-other-").FullName;
        var tokenizer = WordPieceTextTokenizer.BertBaseUncased();
        var config = new EncoderConfig { VocabSize = tokenizer.VocabSize, HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 32, MaxPositionEmbeddings = 32 };
        foreach (var folder in new[] { directory, otherDirectory })
            VocabularyFile.Write(Path.Combine(folder, ModelFolder.VocabularyFile), tokenizer.Vocabulary);
        using (var trained = new Encoder(config))
        {
            Initialization.Apply(trained, config, seed: 99);
            EncoderCheckpoint.Save(otherDirectory, config, trained);
        }
        var other = new CheckpointFeatureSource("other", ModelFolder.Resolve(otherDirectory));
        using (var random = new RandomEncoderSource(other, seed: 1).LoadEncoder())
            EncoderCheckpoint.Save(directory, config, random);
        var baseModel = new CheckpointFeatureSource("base", ModelFolder.Resolve(directory));

        var settings = new ProbeSettings(["spam-subjects"], LayerSelection.Parse("last"), Pooling.Mean, "linear", [1], MaxLength: 32);
        using var store = new FeatureStore(null);
        var rows = new BaseRandomGap(store, ProbeRegistry.Default).Measure(baseModel, [16], settings);

        Assert.That(rows, Has.Count.EqualTo(1));
        Assert.That(rows[0].Gap, Is.EqualTo(0.0), "identical features give identical probes");
        CsvTable.Write(ProbeGapFile.PathIn(directory), rows);
        Assert.That(ProbeGapFile.NonDiscriminating(ProbeGapFile.TryRead(ModelFolder.Resolve(directory))), Is.EquivalentTo(new[] { "spam-subjects" }));
        var defaults = ProbeCommand.DefaultTasksFor("fine-foods", directory);
        Assert.That(defaults, Does.Not.Contain("spam-subjects").And.Contain("brown-genre").And.Not.Contain("fine-foods"));
        File.Copy(ProbeGapFile.PathIn(directory), ProbeGapFile.PathIn(otherDirectory));
        Assert.That(ProbeGapFile.TryRead(ModelFolder.Resolve(otherDirectory)), Is.Null, "gaps of other weights are not this base's");
    }
}
