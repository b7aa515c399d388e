using NUnit.Framework;
using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;

namespace Probing.Tests.FineTuning;

/// <summary>Gradient accumulation, early stopping with patience, and the selection metric.</summary>
public class TrainerFeatureTests
{
    static FineTuneResult Run(FineTuneConfig config, string directory, ITrainingProgress? progress = null)
    {
        var result = FineTuner.Run(config, TinySetup.KeywordTask(), TinySetup.Model, directory, progress ?? SilentProgress.Instance);
        result.Encoder.Dispose();
        return result;
    }

    static List<TrainLogRow> Log(string directory) => TrainLog.Read(Path.Combine(directory, TrainLog.FileName), 1);

    /// <summary>
    /// Two micro-batches of 8 give the step of one batch of 16: same losses, same pre-clipping gradient
    /// norms (AdamW and clipping would hide a gradient off by a factor, the norm does not) and same weights.
    /// </summary>
    [Test]
    public void AccumulatedMicroBatchesGiveTheResultOfOneBigBatch()
    {
        var big = TinySetup.Quick("standard", steps: 6) with { BatchSize = 16, Dropout = 0 };
        var accumulated = big with { BatchSize = 8, GradAccumSteps = 2 };
        string a = TinySetup.TempDirectory(), b = TinySetup.TempDirectory();
        Run(big, a);
        Run(accumulated, b);

        var (one, two) = (Log(a), Log(b));
        Assert.That(two.Select(r => r.Loss), Is.EqualTo(one.Select(r => r.Loss)).Within(1e-5).Percent);
        Assert.That(two.Select(r => r.GradNorm), Is.EqualTo(one.Select(r => r.GradNorm)).Within(1e-3).Percent);
        var (wa, wb) = (StateDictFile.Read(Path.Combine(a, FineTuner.LastFolder, EncoderCheckpoint.WeightsFile)),
                        StateDictFile.Read(Path.Combine(b, FineTuner.LastFolder, EncoderCheckpoint.WeightsFile)));
        foreach (var (name, tensor) in wa)
            Assert.That(TorchSharp.torch.allclose(wb[name], tensor, rtol: 1e-4, atol: 1e-6), Is.True, name);
    }

    [Test]
    public void AccumulationNeedsTheWholeEffectiveBatchInTheTrainingSet()
    {
        var config = TinySetup.Quick("standard") with { BatchSize = 128, GradAccumSteps = 4 };
        var error = Assert.Throws<InputError>(() => FineTuner.Check(config, TinySetup.KeywordTask()));
        Assert.That(error!.Message, Does.Contain("512").And.Contain("grad_accum_steps"));
    }

    [TestCase(new[] { 0.5, 0.6, 0.55, 0.6 }, 2, ExpectedResult = true, Description = "0.6 again is no improvement: two evaluations since the best")]
    [TestCase(new[] { 0.5, 0.6, 0.55, 0.61 }, 2, ExpectedResult = false, Description = "a new best resets the count")]
    [TestCase(new[] { 0.5, 0.6, 0.55 }, 2, ExpectedResult = false)]
    [TestCase(new[] { 0.7, 0.6, 0.5 }, 2, ExpectedResult = true)]
    [TestCase(new[] { 0.7, 0.6, 0.5 }, 0, ExpectedResult = false, Description = "patience 0 never stops")]
    [TestCase(new double[0], 1, ExpectedResult = false)]
    public bool StopsAfterPatienceEvaluationsWithoutANewBest(double[] history, int patience) => EarlyStopping.ShouldStop(history, patience);

    /// <summary>
    /// With a learning rate too small to change any prediction the dev metric never improves after the
    /// first evaluation: evaluations at steps 2, 4, 6 and patience 2 stop the run at step 6 of 20. A run
    /// interrupted at step 5 (checkpoint at 4) resumes and stops at the same step with the same losses,
    /// and running the stopped run again trains no further.
    /// </summary>
    [Test]
    public void StopsAtTheRightStepAlsoAfterResuming()
    {
        var config = TinySetup.Quick("standard", steps: 20) with { LearningRate = 1e-12, EvalEvery = 2, Patience = 2, CheckpointEvery = 4 };
        var whole = TinySetup.TempDirectory();
        var result = Run(config, whole);
        Assert.That(result.Steps, Is.EqualTo(6));
        Assert.That(result.BestStep, Is.EqualTo(2));
        Assert.That(Log(whole).Select(r => r.Step), Is.EqualTo(Enumerable.Range(1, 6)));
        Assert.That(EvalLog.Read(Path.Combine(whole, FineTuner.EvalLogFile), TinySetup.KeywordSpec).Select(e => e.Step), Is.EqualTo(new[] { 2, 4, 6 }));

        var interrupted = TinySetup.TempDirectory();
        Assert.Throws<Stop>(() => Run(config, interrupted, new StopAt(5)));
        var resumed = Run(config, interrupted);
        Assert.That(resumed.Steps, Is.EqualTo(6));
        Assert.That(Log(interrupted).Select(r => r.Loss), Is.EqualTo(Log(whole).Select(r => r.Loss)));

        var again = Run(config, whole);
        Assert.That(again.Steps, Is.EqualTo(6), "the checkpoint of a stopped run resumes into its stopped state");
        Assert.That(Log(whole), Has.Count.EqualTo(6));
    }

    /// <summary>The best evaluation is the first maximum of the selection metric in the evaluation log.</summary>
    [Test]
    public void SelectionMetricPicksTheBestEvaluation()
    {
        var config = TinySetup.Quick("standard", steps: 12) with { EvalEvery = 2, SelectionMetric = "f1" };
        var directory = TinySetup.TempDirectory();
        var result = Run(config, directory);
        var f1 = EvalLog.Read(Path.Combine(directory, FineTuner.EvalLogFile), TinySetup.KeywordSpec)
            .Select(e => (e.Step, F1: e.Score.Values[MetricKind.F1])).ToList();
        Assert.That(result.BestDev.PrimaryMetric, Is.EqualTo(MetricKind.F1));
        Assert.That(result.BestStep, Is.EqualTo(f1.First(e => e.F1 == f1.Max(x => x.F1)).Step));
        Assert.That(result.BestDev.Primary, Is.EqualTo(f1.Max(x => x.F1)));
    }

    [Test]
    public void UnknownSelectionMetricNamesTheTasksMetrics()
    {
        var error = Assert.Throws<InputError>(() => FineTuner.Check(TinySetup.Quick("standard") with { SelectionMetric = "pearson" }, TinySetup.KeywordTask()));
        Assert.That(error!.Message, Does.Contain("selection_metric").And.Contain("accuracy, f1"));
    }

    sealed class Stop : Exception;

    sealed class StopAt(int step) : ITrainingProgress
    {
        public void Report(TrainingStatus status)
        {
            if (status.Step == step) throw new Stop();
        }

        public void Message(string text) { }
    }
}
