using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using NUnit.Framework;
using Probing.Tests.FineTuning;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Pretraining;
using Probing.Training.Text;

namespace Probing.Tests.Trust;

/// <summary>
/// The TensorBoard event file of a run, read back by a reader of its own (TFRecord framing with a bitwise CRC-32C, and
/// the Event/Summary fields decoded by field number): it holds the CSV logs' values, every step once, also after a
/// kill and a resume from an earlier checkpoint, and a damaged file never blocks a run.
/// </summary>
public class TensorBoardEventsTests
{
    static readonly FineTuneConfig Config = TinySetup.Quick("sda", steps: 10) with { CheckpointEvery = 2, EvalEvery = 5 };

    static void FineTune(string directory, ITrainingProgress? progress = null) =>
        FineTuner.Run(Config, TinySetup.KeywordTask(), TinySetup.Model, directory, progress ?? SilentProgress.Instance).Encoder.Dispose();

    static readonly Lazy<string> whole = new(() =>
    {
        var directory = TinySetup.TempDirectory();
        FineTune(directory);
        return directory;
    });

    [Test]
    public void TheReadersChecksumIsCrc32C() =>
        // The check value of CRC-32C (Castagnoli): the CRC of the ASCII digits 1…9.
        Assert.That(Crc32C(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xE3069283u));

    [Test]
    public void AFineTuningRunsEventsHoldItsLogsValuesOncePerStep()
    {
        var events = Read(Path.Combine(whole.Value, TensorBoardEvents.FileName));
        Assert.That(events[0].FileVersion, Is.EqualTo("brain.Event:2"));
        var steps = events.Skip(1).ToList();
        Assert.That(steps.Select(e => e.Step), Is.EqualTo(Enumerable.Range(1, 10)));
        Assert.That(steps.Select(e => e.WallTime), Is.Ordered, "wall times do not go back");
        Assert.That(steps[0].WallTime, Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).Within(600), "Unix seconds");

        var log = File.ReadAllLines(Path.Combine(whole.Value, TrainLog.FileName));
        var columns = log[0].Split(',');
        foreach (var (line, e) in log.Skip(1).Zip(steps))
        {
            var cells = line.Split(',');
            Assert.That(e.Step, Is.EqualTo(int.Parse(cells[0], CultureInfo.InvariantCulture)));
            for (int i = 1; i < columns.Length - 1; i++)
                Assert.That(e.Values[$"train/{columns[i]}"], Is.EqualTo((float)double.Parse(cells[i], CultureInfo.InvariantCulture)), $"step {e.Step} {columns[i]}");
        }
        Assert.That(columns, Does.Contain("loss").And.Contain("learning_rate").And.Contain("grad_norm"));
        Assert.That(columns.Length - 2, Is.GreaterThan(3), "sda's loss terms are logged too");

        var dev = File.ReadAllLines(Path.Combine(whole.Value, FineTuner.EvalLogFile)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.That(dev.Select(d => d[0]).Distinct(), Is.EqualTo(new[] { "5", "10" }));
        foreach (var row in dev)
            Assert.That(steps[int.Parse(row[0], CultureInfo.InvariantCulture) - 1].Values[$"{row[1]}/{row[2]}"], Is.EqualTo((float)double.Parse(row[3], CultureInfo.InvariantCulture)));
        Assert.That(steps[3].Values.Keys, Has.None.StartsWith("dev/"), "dev metrics only at evaluated steps");
    }

    /// <summary>
    /// A kill after step 7 leaves events of steps 1–6; with checkpoint 6 gone the run resumes from step 4, and a torn
    /// record sits at the end. The resumed file must hold each step once with the uninterrupted run's values.
    /// </summary>
    [Test]
    public void AResumedRunNeitherDoublesNorLosesSteps()
    {
        var directory = TinySetup.TempDirectory();
        Assert.Throws<Stop>(() => FineTune(directory, new StopAt(7)));
        var path = Path.Combine(directory, TensorBoardEvents.FileName);
        Assert.That(Read(path).Skip(1).Select(e => e.Step), Is.EqualTo(Enumerable.Range(1, 6)), "events are written with each checkpoint");
        Directory.Delete(Path.Combine(directory, FineTuner.CheckpointFolder, Training.Checkpoints.TrainingCheckpoint.StepFolderName(6)), recursive: true);
        using (var stream = new FileStream(path, FileMode.Append)) stream.Write([0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2]);

        FineTune(directory);

        Assert.That(Content(Read(path)), Is.EqualTo(Content(Read(Path.Combine(whole.Value, TensorBoardEvents.FileName)))));
    }

    [Test]
    public void AnUnreadableEventFileIsStartedAnew()
    {
        var directory = TinySetup.TempDirectory();
        File.WriteAllBytes(Path.Combine(directory, TensorBoardEvents.FileName), [.. Enumerable.Range(0, 100).Select(i => (byte)(i * 37))]);
        FineTune(directory);
        Assert.That(Content(Read(Path.Combine(directory, TensorBoardEvents.FileName))), Is.EqualTo(Content(Read(Path.Combine(whole.Value, TensorBoardEvents.FileName)))));
    }

    [Test]
    public void PretrainingWritesItsLossesAsEventsAndResumesThemExactly()
    {
        var tokenizer = WordPieceTextTokenizer.BertBaseUncased();
        var config = new PretrainConfig
        {
            Model = new EncoderConfig { VocabSize = tokenizer.VocabSize, HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 64, MaxPositionEmbeddings = 16 },
            SequenceLength = 16, BatchSize = 8, Steps = 12, LearningRate = 3e-3, CheckpointEvery = 4, EvalSequences = 16,
        };
        var corpus = PackedSequences.Pack([.. Enumerable.Repeat("the cat sat on the mat . a dog ran to the house .", 40)], tokenizer, config.SequenceLength);
        var directory = TinySetup.TempDirectory();
        Assert.Throws<Stop>(() => new Pretrainer(config, tokenizer, corpus, directory, new StopAt(11)).Train().Dispose());
        new Pretrainer(config, tokenizer, corpus, directory, SilentProgress.Instance).Train().Dispose();

        var events = Read(Path.Combine(directory, TensorBoardEvents.FileName)).Skip(1).ToList();
        var log = CsvTable.Read<PretrainLogRow>(Path.Combine(directory, Pretrainer.LogFile));
        Assert.That(events.Select(e => e.Step), Is.EqualTo(log.Select(r => r.Step)));
        Assert.That(events.Select(e => e.Values["train/loss"]), Is.EqualTo(log.Select(r => (float)r.Loss)));
        Assert.That(events.Select(e => e.Values["train/learning_rate"]), Is.EqualTo(log.Select(r => (float)r.LearningRate)));
        Assert.That(events.Select(e => e.Values["train/grad_norm"]), Is.EqualTo(log.Select(r => (float)r.GradNorm)));
    }

    [Test]
    public void Seq2SeqEvaluationsShowTheirMeanUnderSplitAndMetric() =>
        Assert.That(((IStepRow)new Seq2SeqEvalRow(5, "dev", "rouge1", 0.31, 0.2, 0.4, 64)).Scalars(), Is.EqualTo(new[] { ("dev/rouge1", 0.31) }));

    sealed record TfEvent(double WallTime, long Step, string? FileVersion, Dictionary<string, float> Values);

    /// <summary>Steps and values without the wall times, which differ between runs by nature.</summary>
    static List<string> Content(List<TfEvent> events) =>
        [.. events.Select(e => $"{e.Step} {e.FileVersion} {string.Join(' ', e.Values.Select(v => $"{v.Key}={v.Value.ToString("R", CultureInfo.InvariantCulture)}"))}")];

    /// <summary>Every record, failing on a bad checksum, a torn record or bytes after the last one.</summary>
    static List<TfEvent> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<TfEvent>();
        var at = 0;
        while (at < bytes.Length)
        {
            Assert.That(bytes.Length - at, Is.GreaterThanOrEqualTo(12), $"torn header at {at}");
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)), Is.EqualTo(Masked(Crc32C(bytes.AsSpan(at, 8)))), $"length checksum at {at}");
            Assert.That(bytes.Length - at - 12, Is.GreaterThanOrEqualTo(length + 4), $"torn record at {at}");
            var data = bytes.AsSpan(at + 12, length);
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + length)), Is.EqualTo(Masked(Crc32C(data))), $"data checksum at {at}");
            events.Add(DecodeEvent(data.ToArray()));
            at += 12 + length + 4;
        }
        return events;
    }

    /// <summary>tensorboard's Event: wall_time = 1 (double), step = 2 (int64), file_version = 3 (string), summary = 5 (Summary: value = 1, repeated; Value: tag = 1, simple_value = 2 (float)).</summary>
    static TfEvent DecodeEvent(byte[] data)
    {
        var input = new CodedInputStream(data);
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var values = new Dictionary<string, float>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: wallTime = input.ReadDouble(); break;
                case 2: step = input.ReadInt64(); break;
                case 3: fileVersion = input.ReadString(); break;
                case 5:
                    var summary = new CodedInputStream(input.ReadBytes().ToByteArray());
                    uint summaryTag;
                    while ((summaryTag = summary.ReadTag()) != 0)
                    {
                        Assert.That(WireFormat.GetTagFieldNumber(summaryTag), Is.EqualTo(1));
                        var value = new CodedInputStream(summary.ReadBytes().ToByteArray());
                        string? name = null;
                        float? simple = null;
                        uint valueTag;
                        while ((valueTag = value.ReadTag()) != 0)
                        {
                            if (WireFormat.GetTagFieldNumber(valueTag) == 1) name = value.ReadString();
                            else if (WireFormat.GetTagFieldNumber(valueTag) == 2) simple = value.ReadFloat();
                            else value.SkipLastField();
                        }
                        Assert.That(name, Is.Not.Null);
                        Assert.That(simple, Is.Not.Null);
                        Assert.That(values.TryAdd(name!, simple!.Value), Is.True, $"{name} twice in one event");
                    }
                    break;
                default: input.SkipLastField(); break;
            }
        }
        return new TfEvent(wallTime, step, fileVersion, values);
    }

    /// <summary>CRC-32C bit by bit (reflected polynomial 0x82F63B78).</summary>
    static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }

    static uint Masked(uint crc) => ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;

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
