using NUnit.Framework;
using Probing.Tests.FineTuning;
using Probing.Training.Checkpoints;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;

namespace Probing.Tests.Trust;

/// <summary>A kill at any instant of a checkpoint save leaves a run that finishes exactly like an uninterrupted one; a damaged checkpoint is detected.</summary>
public class CrashSafeCheckpointTests
{
    static readonly FineTuneConfig Config = TinySetup.Quick("sda", steps: 10) with { CheckpointEvery = 2, EvalEvery = 5 };

    static FineTuneResult Run(string directory, ITrainingProgress? progress = null)
    {
        var result = FineTuner.Run(Config, TinySetup.KeywordTask(), TinySetup.Model, directory, progress ?? SilentProgress.Instance);
        result.Encoder.Dispose();
        return result;
    }

    static readonly Lazy<string> whole = new(() =>
    {
        var directory = TinySetup.TempDirectory();
        Run(directory);
        return directory;
    });

    /// <summary>The run folder after a kill right after step 7 (checkpoints at 4 and 6 are on disk).</summary>
    static string Interrupted(List<string>? messages = null)
    {
        var directory = TinySetup.TempDirectory();
        Assert.Throws<Stop>(() => Run(directory, new StopAt(7)));
        return directory;
    }

    static string Checkpoints(string run) => Path.Combine(run, FineTuner.CheckpointFolder);
    static string Step(string run, int step) => Path.Combine(Checkpoints(run), TrainingCheckpoint.StepFolderName(step));

    static void AssertSameAsUninterrupted(string run)
    {
        foreach (var file in new[] { TrainLog.FileName, FineTuner.EvalLogFile })
            Assert.That(Strip(File.ReadAllLines(Path.Combine(run, file))), Is.EqualTo(Strip(File.ReadAllLines(Path.Combine(whole.Value, file)))), file);
        foreach (var folder in new[] { FineTuner.LastFolder, FineTuner.BestFolder })
            Assert.That(File.ReadAllBytes(Path.Combine(run, folder, EncoderCheckpoint.WeightsFile)),
                Is.EqualTo(File.ReadAllBytes(Path.Combine(whole.Value, folder, EncoderCheckpoint.WeightsFile))), $"{folder}/ weights, bit for bit");
    }

    /// <summary>train_log.csv's last column is wall time.</summary>
    static IEnumerable<string> Strip(string[] lines) => lines.Select(l => l.EndsWith("elapsed_seconds", StringComparison.Ordinal) || !l.Contains(',') ? l : l[..l.LastIndexOf(',')]);

    [Test]
    public void KeepsOnlyTheNewestTwoCheckpointsEachWithChecksums()
    {
        var directory = Interrupted();
        Assert.That(Directory.GetDirectories(Checkpoints(directory)).Select(Path.GetFileName), Is.EquivalentTo(new[] { "step-00000004", "step-00000006" }));
        Assert.That(FolderChecksums.Problem(Step(directory, 6)), Is.Null);
        Assert.That(File.ReadAllText(Path.Combine(Step(directory, 6), FolderChecksums.FileName)), Does.Contain("  optimizer.safetensors\n").And.Contain("  train_log.csv\n").And.Contain("  extra.safetensors\n"));
    }

    [Test]
    public void LeftoversOfAKillDuringASaveOrADeleteDoNotBlockTheRun()
    {
        var directory = Interrupted();
        // A save of step 8 killed half-way, a deletion of step 2 killed half-way, a log write killed half-way.
        var staging = AtomicFile.TempName(Step(directory, 8)).Replace(Environment.ProcessId.ToString(), "999999");
        Directory.CreateDirectory(staging);
        File.WriteAllBytes(Path.Combine(staging, EncoderCheckpoint.WeightsFile), File.ReadAllBytes(Path.Combine(Step(directory, 6), EncoderCheckpoint.WeightsFile))[..1000]);
        var deleting = Step(directory, 2) + ".tmp-999999-old";
        Directory.CreateDirectory(deleting);
        File.WriteAllText(Path.Combine(deleting, "state.json"), "{");
        File.WriteAllText(Path.Combine(directory, TrainLog.FileName + ".tmp-999999"), "step,lo");

        Run(directory);

        AssertSameAsUninterrupted(directory);
        Assert.That(Directory.GetDirectories(Checkpoints(directory)).Select(Path.GetFileName), Is.EquivalentTo(new[] { "step-00000008", "step-00000010" }), "leftovers removed");
        Assert.That(File.Exists(Path.Combine(directory, TrainLog.FileName + ".tmp-999999")), Is.True, "files outside the checkpoints are the run folder's to clean (RunFolder.Open)");
    }

    [Test]
    public void AFlippedByteInTheNewestCheckpointIsDetectedAndTheOneBeforeItUsed()
    {
        var directory = Interrupted();
        TrustWorld.FlipByte(Path.Combine(Step(directory, 6), "optimizer.safetensors"));
        var messages = new List<string>();

        Run(directory, new Recording(messages));

        Assert.That(messages, Has.Some.Contains("step-00000006").And.Contains("damaged").And.Contains("optimizer.safetensors"));
        Assert.That(messages, Has.Some.Contains("resuming from step 4"));
        AssertSameAsUninterrupted(directory);
    }

    [Test]
    public void WithEveryCheckpointDamagedItSaysWhatToDelete()
    {
        var directory = Interrupted();
        TrustWorld.FlipByte(Path.Combine(Step(directory, 6), EncoderCheckpoint.WeightsFile));
        File.Delete(Path.Combine(Step(directory, 4), "state.json"));

        var error = Assert.Throws<InputError>(() => Run(directory));

        Assert.That(error!.Message, Does.Contain($"delete {Checkpoints(directory)} to restart this run from step 0"));
        Directory.Delete(Checkpoints(directory), recursive: true);
        Run(directory);
        AssertSameAsUninterrupted(directory);
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

    sealed class Recording(List<string> messages) : ITrainingProgress
    {
        public void Report(TrainingStatus status) { }
        public void Message(string text) => messages.Add(text);
    }
}
