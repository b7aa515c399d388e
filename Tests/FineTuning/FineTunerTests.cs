using NUnit.Framework;
using Probing.Training.Checkpoints;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Training.Regularizers;

namespace Probing.Tests.FineTuning;

public class FineTunerTests
{
    static FineTuneResult Run(FineTuneConfig config, string directory, ITrainingProgress? progress = null, Training.Data.TaskData? task = null, ModelFolder? model = null)
    {
        var result = FineTuner.Run(config, task ?? TinySetup.KeywordTask(), model ?? TinySetup.Model, directory, progress ?? SilentProgress.Instance);
        result.Encoder.Dispose();
        return result;
    }

    static List<double> Losses(string directory, int terms) => [.. TrainLog.Read(Path.Combine(directory, TrainLog.FileName), terms).Select(r => r.Loss)];

    public static IEnumerable<string> Methods => MethodRegistry.Kinds;

    [TestCaseSource(nameof(Methods))]
    public void EveryMethodBeatsTheMajorityBaselineOnAnEasyTask(string method)
    {
        var task = TinySetup.KeywordTask();
        var majority = task.Dev.GroupBy(e => e.Label).Max(g => g.Count()) / (double)task.Dev.Count;
        var config = TinySetup.Quick(method, steps: 120);
        // The tiny random encoder's embeddings are ~100× smaller than BERT's: scale FreeLB's step and init with them.
        if (method == "freelb") config = config with { Method = new FreeLbOptions { AdvLr = 1e-3, AdvInitMag = 1e-3 } };
        var result = Run(config, TinySetup.TempDirectory(), task: task);
        Assert.That(result.BestDev.Primary, Is.GreaterThan(majority + 0.15), $"{method}: dev accuracy {result.BestDev.Primary:F3}, majority {majority:F3}");
    }

    [Test]
    public void SameSeedGivesTheIdenticalLossLog()
    {
        var config = TinySetup.Quick("r3f", steps: 12);
        string a = TinySetup.TempDirectory(), b = TinySetup.TempDirectory(), c = TinySetup.TempDirectory();
        Run(config, a);
        Run(config, b);
        Run(config with { Seed = 2 }, c);
        Assert.That(File.ReadAllLines(Path.Combine(b, TrainLog.FileName)).Select(l => string.Join(',', l.Split(',')[..^1])),
            Is.EqualTo(File.ReadAllLines(Path.Combine(a, TrainLog.FileName)).Select(l => string.Join(',', l.Split(',')[..^1]))), "all columns but the elapsed time");
        Assert.That(Losses(c, 2), Is.Not.EqualTo(Losses(a, 2)));
    }

    [TestCase("sda")]
    [TestCase("smart")]
    public void ResumeAfterAnInterruptionContinuesTheSameLossSequence(string method)
    {
        var config = TinySetup.Quick(method, steps: 12) with { CheckpointEvery = 5, EvalEvery = 4 };
        var terms = method == "smart" ? 3 : 2;
        var whole = TinySetup.TempDirectory();
        var uninterrupted = Run(config, whole);

        var interrupted = TinySetup.TempDirectory();
        Assert.Throws<Interrupted>(() => Run(config, interrupted, new InterruptAt(step: 8)));
        var resumed = Run(config, interrupted);

        Assert.That(Losses(interrupted, terms), Is.EqualTo(Losses(whole, terms)));
        Assert.That(resumed.Steps, Is.EqualTo(12));
        // The evaluations at steps 4 and 8 were read back from eval_log.csv: the best score and step are exactly the uninterrupted run's.
        Assert.That(resumed.BestStep, Is.EqualTo(uninterrupted.BestStep));
        Assert.That(resumed.BestDev.Values, Is.EqualTo(uninterrupted.BestDev.Values));
        Assert.That(File.ReadAllText(Path.Combine(interrupted, FineTuner.EvalLogFile)), Is.EqualTo(File.ReadAllText(Path.Combine(whole, FineTuner.EvalLogFile))));
    }

    [Test]
    public void TheEvalLogIsLongFormatAndReadsBackExactly()
    {
        var spec = TinySetup.KeywordSpec;
        var path = Path.Combine(TinySetup.TempDirectory(), EvalLog.FileName);
        DevEvaluation[] evaluations =
        [
            new(4, new Training.Data.TaskScore(spec.PrimaryMetric, new Dictionary<Training.Data.MetricKind, double> { [Training.Data.MetricKind.Accuracy] = 0.1 + 0.2, [Training.Data.MetricKind.F1] = 2.0 / 3 })),
            new(8, new Training.Data.TaskScore(spec.PrimaryMetric, new Dictionary<Training.Data.MetricKind, double> { [Training.Data.MetricKind.Accuracy] = 0.75, [Training.Data.MetricKind.F1] = 1e-17 })),
        ];
        EvalLog.Write(path, evaluations);
        Assert.That(File.ReadAllLines(path), Is.EqualTo(new[]
        {
            "step,split,metric,value", "4,dev,accuracy,0.30000000000000004", "4,dev,f1,0.6666666666666666", "8,dev,accuracy,0.75", "8,dev,f1,1E-17",
        }));
        var read = EvalLog.Read(path, spec);
        Assert.That(read.Select(e => e.Step), Is.EqualTo(new[] { 4, 8 }));
        Assert.That(read.Select(e => e.Score.Values), Is.EqualTo(evaluations.Select(e => e.Score.Values)), "bit for bit");

        File.WriteAllText(path, "step,split,metric,value\n4,dev,pearson,0.5\n");
        Assert.That(Assert.Throws<InputError>(() => EvalLog.Read(path, spec))!.Message, Does.Contain("pearson").And.Contain(path));
    }

    [Test]
    public void WritesBestAndLastModelFoldersWhoseEncoderLoadsLikeABase()
    {
        var directory = TinySetup.TempDirectory();
        var result = Run(TinySetup.Quick("r4f", steps: 8) with { EvalEvery = 4 }, directory);
        foreach (var folder in new[] { result.BestFolder, result.LastFolder })
        {
            using var encoder = ModelFolder.Resolve(folder).LoadEncoder();
            Assert.That(encoder.Config.HiddenSize, Is.EqualTo(32));
            var head = FineTunedModel.ReadHead(folder);
            Assert.That(head.Labels, Is.EqualTo(TinySetup.KeywordSpec.Labels));
            Assert.That(head.SpectralNorm, Is.True);
        }
        var tensors = StateDictFile.Read(Path.Combine(result.LastFolder, EncoderCheckpoint.WeightsFile));
        Assert.That(tensors.Keys, Has.Some.StartsWith("bert.embeddings."));
        Assert.That(tensors.Keys, Has.Member("classifier.out_proj.weight_orig"));
        Assert.That(tensors.Keys, Has.Member("classifier.dense.weight"));
    }

    [Test]
    public void ContinuesFromAFineTunedRunAndRefusesAHeadThatDoesNotFit()
    {
        var first = Run(TinySetup.Quick("standard", steps: 4), TinySetup.TempDirectory());
        var again = Run(TinySetup.Quick("standard", steps: 4) with { ReuseHead = true }, TinySetup.TempDirectory(), model: ModelFolder.Resolve(first.BestFolder));
        Assert.That(again.Steps, Is.EqualTo(4));
        var error = Assert.Throws<InputError>(() => FineTuner.Run(TinySetup.Quick("standard", steps: 4) with { ReuseHead = true },
            TinySetup.CountTask(), ModelFolder.Resolve(first.BestFolder), TinySetup.TempDirectory(), SilentProgress.Instance));
        Assert.That(error!.Message, Does.Contain("2 labels").And.Contain("regression"));
    }

    [Test]
    public void RegressionTrainsOneOutputWithMse()
    {
        var result = Run(TinySetup.Quick("r3f", steps: 6), TinySetup.TempDirectory(), task: TinySetup.CountTask());
        Assert.That(FineTunedModel.ReadHead(result.LastFolder).Outputs, Is.EqualTo(1));
        Assert.That(result.LastDev.PrimaryMetric, Is.EqualTo(Training.Data.MetricKind.Pearson));
    }

    [Test]
    public void NonFiniteLossStopsNamingTheStepAndKeepsTheLastGoodCheckpoint()
    {
        var directory = TinySetup.TempDirectory();
        var config = TinySetup.Quick("standard", steps: 6) with { BatchSize = 256 };
        var error = Assert.Throws<TrainingDiverged>(() => Run(config, directory, task: TinySetup.CountTask(poison: double.NaN)));
        Assert.That(error!.Message, Does.Contain("at step 1").And.Contain("no checkpoint was written before it").And.Not.Contain("step 0"));
        Assert.That(Directory.Exists(Path.Combine(directory, FineTuner.BestFolder)), Is.False);
    }

    sealed class Interrupted : Exception;

    sealed class InterruptAt(int step) : ITrainingProgress
    {
        public void Report(TrainingStatus status)
        {
            if (status.Step == step) throw new Interrupted();
        }

        public void Message(string text) { }
    }
}
