using NUnit.Framework;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Pretraining;
using Probing.Training.Text;

namespace Probing.Tests.Pretraining;

public class PretrainerTests
{
    static readonly WordPieceTextTokenizer Tokenizer = WordPieceTextTokenizer.BertBaseUncased();

    static readonly PretrainConfig Tiny = new()
    {
        Model = new EncoderConfig { VocabSize = Tokenizer.VocabSize, HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 64, MaxPositionEmbeddings = 16 },
        SequenceLength = 16, BatchSize = 8, Steps = 40, LearningRate = 3e-3, CheckpointEvery = 20, EvalSequences = 16,
    };

    /// <summary>A repetitive toy corpus: its masked tokens are easy to predict, so the loss must fall.</summary>
    static PackedSequences Corpus()
    {
        string[] subjects = ["the cat", "a dog", "the bird", "my friend"], verbs = ["sat on", "looked at", "ran to"], objects = ["the mat .", "a tree .", "the house ."];
        var lines = (from s in subjects from v in verbs from o in objects select $"{s} {v} {o}").ToList();
        return PackedSequences.Pack([.. Enumerable.Repeat(lines, 8).SelectMany(l => l)], Tokenizer, Tiny.SequenceLength);
    }

    static List<PretrainLogRow> Train(string directory, PretrainConfig config, ITrainingProgress? progress = null)
    {
        using var model = new Pretrainer(config, Tokenizer, Corpus(), directory, progress ?? SilentProgress.Instance).Train();
        return CsvTable.Read<PretrainLogRow>(Path.Combine(directory, Pretrainer.LogFile));
    }

    [Test]
    public void TinyPretrainingLowersTheLoss()
    {
        var log = Train(TempDirectory(), Tiny);
        Assert.That(log, Has.Count.EqualTo(40));
        var first = log.Take(5).Average(r => r.Loss);
        var last = log.TakeLast(5).Average(r => r.Loss);
        Assert.That(last, Is.LessThan(first * 0.8), $"loss went from {first:F3} to {last:F3}");
    }

    [Test]
    public void SameSeedGivesTheIdenticalLossSequence()
    {
        var config = Tiny with { Steps = 12, CheckpointEvery = 12 };
        var a = Train(TempDirectory(), config).Select(r => r.Loss);
        var b = Train(TempDirectory(), config).Select(r => r.Loss);
        var c = Train(TempDirectory(), config with { Seed = 2 }).Select(r => r.Loss);
        Assert.That(b, Is.EqualTo(a));
        Assert.That(c, Is.Not.EqualTo(a));
    }

    [Test]
    public void ResumeAfterAnInterruptionContinuesTheSameLossSequence()
    {
        var uninterrupted = Train(TempDirectory(), Tiny).Select(r => r.Loss).ToList();

        var directory = TempDirectory();
        Assert.Throws<Interrupted>(() => Train(directory, Tiny, new InterruptAt(step: 27)));
        var pretrainer = new Pretrainer(Tiny, Tokenizer, Corpus(), directory, SilentProgress.Instance);
        pretrainer.Train().Dispose();
        var log = CsvTable.Read<PretrainLogRow>(Path.Combine(directory, Pretrainer.LogFile));

        Assert.That(log.Select(r => r.Loss), Is.EqualTo(uninterrupted));
        Assert.That(pretrainer.TrainSeconds, Is.GreaterThanOrEqualTo(log[^1].ElapsedSeconds), "the training time includes the piece before the interruption");
    }

    [Test]
    public void HeldOutEvaluationComparesWithTheUnigramBaseline()
    {
        var directory = TempDirectory();
        var pretrainer = new Pretrainer(Tiny with { Steps = 200, CheckpointEvery = 200 }, Tokenizer, Corpus(), directory, SilentProgress.Instance);
        using var model = pretrainer.Train();
        var evaluation = pretrainer.Evaluate(model, Corpus());
        Assert.That(evaluation.MaskedTokens, Is.GreaterThan(0));
        Assert.That(evaluation.UnigramToken, Is.EqualTo("the"), "'the' is the most frequent piece of the toy corpus");
        Assert.That(evaluation.MaskedAccuracy, Is.GreaterThan(evaluation.UnigramAccuracy));
    }

    /// <summary>The shipped base's preset (2 × 128), on the toy corpus: same seed and threads → the same first losses, also after a resume.</summary>
    [Test]
    public void BasePresetIsDeterministicOverItsFirstStepsAndResumes()
    {
        var preset = PretrainConfig.Preset("base");
        var config = preset with { Model = preset.Model with { VocabSize = Tokenizer.VocabSize }, SequenceLength = 16, BatchSize = 4, Steps = 4, CheckpointEvery = 2 };
        var a = Train(TempDirectory(), config).Select(r => r.Loss).ToList();
        var b = Train(TempDirectory(), config).Select(r => r.Loss).ToList();
        var directory = TempDirectory();
        Assert.Throws<Interrupted>(() => Train(directory, config, new InterruptAt(step: 3)));
        var resumed = Train(directory, config).Select(r => r.Loss).ToList();
        Assert.That(a, Has.Count.EqualTo(4));
        Assert.That(b, Is.EqualTo(a));
        Assert.That(resumed, Is.EqualTo(a));
    }

    sealed class Interrupted : Exception;

    /// <summary>Simulates a kill: the run stops in the middle of a checkpoint interval.</summary>
    sealed class InterruptAt(int step) : ITrainingProgress
    {
        public void Report(TrainingStatus status)
        {
            if (status.Step == step) throw new Interrupted();
        }

        public void Message(string text) { }
    }

    static string TempDirectory() => Directory.CreateTempSubdirectory("probing-pretrain-").FullName;
}
