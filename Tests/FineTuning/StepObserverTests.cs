using NUnit.Framework;
using Probing.Training.Checkpoints;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Tests.FineTuning;

public class StepObserverTests
{
    /// <summary>
    /// Records what it is shown, and meddles as a careless observer might: evaluates the model in eval mode
    /// and draws from torch's global generator (training reseeds every step, so neither may matter).
    /// </summary>
    sealed class Recorder(int interval) : IStepObserver
    {
        public int Interval => interval;
        public List<(int From, int Total)> Begins { get; } = [];
        public List<int> Steps { get; } = [];
        public List<bool> ModesSeen { get; } = [];

        public void Begin(int fromStep, int totalSteps) => Begins.Add((fromStep, totalSteps));

        public void Observe(int step, SequenceClassifier model)
        {
            Steps.Add(step);
            ModesSeen.Add(model.training);
            model.eval();
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            randn(100).sum().item<float>();
            model.Encoder.Forward(tensor(new long[] { 2, 6, 3 }, [1, 3]), zeros(new long[] { 1, 3 }, dtype: ScalarType.Int64), ones(new long[] { 1, 3 }, dtype: ScalarType.Int64));
        }
    }

    static FineTuneResult Run(FineTuneConfig config, string directory, IStepObserver? observer, ITrainingProgress? progress = null)
    {
        var result = FineTuner.Run(config, TinySetup.KeywordTask(), TinySetup.Model, directory, progress ?? SilentProgress.Instance, observer);
        result.Encoder.Dispose();
        return result;
    }

    static string[] LossLog(string directory) =>
        [.. File.ReadAllLines(Path.Combine(directory, TrainLog.FileName)).Select(l => string.Join(',', l.Split(',')[..^1]))];

    [Test]
    public void TheObserverSeesStepZeroEveryIntervalAndTheLastStepInTrainMode()
    {
        var recorder = new Recorder(interval: 4);
        Run(TinySetup.Quick("standard", steps: 10), TinySetup.TempDirectory(), recorder);
        Assert.That(recorder.Begins, Is.EqualTo(new[] { (0, 10) }));
        Assert.That(recorder.Steps, Is.EqualTo(new[] { 0, 4, 8, 10 }));
        Assert.That(recorder.ModesSeen, Is.All.True, "each time in train mode: the mode the observer left is put back");
    }

    [TestCase("r3f")]
    [TestCase("self-ensemble")]
    public void AnObservedRunTrainsExactlyAsAnUnobservedOne(string method)
    {
        var config = TinySetup.Quick(method, steps: 12) with { EvalEvery = 5 };
        string plain = TinySetup.TempDirectory(), observed = TinySetup.TempDirectory();
        Run(config, plain, null);
        Run(config, observed, new Recorder(interval: 3));

        Assert.That(LossLog(observed), Is.EqualTo(LossLog(plain)), "every loss column, every step");
        var a = StateDictFile.Read(Path.Combine(plain, FineTuner.LastFolder, EncoderCheckpoint.WeightsFile));
        var b = StateDictFile.Read(Path.Combine(observed, FineTuner.LastFolder, EncoderCheckpoint.WeightsFile));
        Assert.That(b.Keys, Is.EquivalentTo(a.Keys));
        foreach (var (name, tensor) in a)
            Assert.That(b[name].eq(tensor).all().item<bool>(), Is.True, $"{name} bit for bit");
    }

    [Test]
    public void AResumedRunBeginsAtItsCheckpointAndDoesNotObserveStepZeroAgain()
    {
        var config = TinySetup.Quick("standard", steps: 12) with { CheckpointEvery = 5 };
        var directory = TinySetup.TempDirectory();
        var first = new Recorder(interval: 4);
        Assert.Throws<Stop>(() => Run(config, directory, first, new StopAt(step: 7)));
        var second = new Recorder(interval: 4);
        Run(config, directory, second);

        Assert.That(first.Steps, Is.EqualTo(new[] { 0, 4 }));
        Assert.That(second.Begins, Is.EqualTo(new[] { (5, 12) }), "resumed from the step-5 checkpoint");
        Assert.That(second.Steps, Is.EqualTo(new[] { 8, 12 }));
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
