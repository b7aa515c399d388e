using NUnit.Framework;
using Probing.Training.Checkpoints;
using Probing.Training.Data.Summarization;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Regularizers;
using Probing.Training.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Tests.FineTuning;

public class Seq2SeqLossTests
{
    // Two rows of three target positions over a vocabulary of 4; the second row's last position is padding (label mask 0).
    static readonly double[,,] LogitValues =
    {
        { { 1.0, -0.5, 0.3, 2.0 }, { 0.0, 0.0, 0.0, 0.0 }, { -1.0, 3.0, 0.5, 0.1 } },
        { { 0.2, 0.4, -2.0, 1.5 }, { 2.5, -1.0, 0.0, 0.7 }, { 9.0, 9.0, 9.0, 9.0 } },
    };
    static readonly long[,] Gold = { { 3, 1, 1 }, { 0, 0, 1 } };
    static readonly long[,] Mask = { { 1, 1, 1 }, { 1, 1, 0 } };

    static Seq2SeqBatch Batch()
    {
        var labels = tensor(Gold.Cast<long>().ToArray(), [2, 3]);
        var mask = tensor(Mask.Cast<long>().ToArray(), [2, 3]);
        // Only labels and their mask enter the loss; the other fields are placeholders of the right shape.
        return new Seq2SeqBatch(labels, mask, labels, labels.masked_fill(mask.eq(0), 1), mask);
    }

    static Tensor Logits(double[,,] values) => tensor(values.Cast<double>().Select(v => (float)v).ToArray(), [2, 3, 4]);

    static double[] LogSoftmax(double[,,] values, int b, int t)
    {
        var row = Enumerable.Range(0, 4).Select(v => values[b, t, v]).ToArray();
        var max = row.Max();
        var logSum = max + Math.Log(row.Sum(x => Math.Exp(x - max)));
        return [.. row.Select(x => x - logSum)];
    }

    [TestCase(0.0)]
    [TestCase(0.1)]
    [TestCase(0.3)]
    public void LabelSmoothedLossEqualsTheHandComputation(double epsilon)
    {
        // fairseq (0.9/0.10): per real token (1 − ε)·(−log p_gold) + ε/V · Σ_v −log p_v; the mean over real tokens.
        double sum = 0;
        int tokens = 0;
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 3; t++)
            {
                if (Mask[b, t] == 0) continue;
                var logP = LogSoftmax(LogitValues, b, t);
                sum += (1 - epsilon) * -logP[Gold[b, t]] + epsilon / 4 * logP.Sum(l => -l);
                tokens++;
            }
        var loss = Seq2SeqLoss.LabelSmoothed(Logits(LogitValues), Batch(), epsilon).item<float>();
        Assert.That(loss, Is.EqualTo(sum / tokens).Within(1e-6));
    }

    [Test]
    public void PaddedPositionsDoNotCount()
    {
        var changed = (double[,,])LogitValues.Clone();
        changed[1, 2, 0] = -40;
        Assert.That(Seq2SeqLoss.LabelSmoothed(Logits(changed), Batch(), 0.1).item<float>(),
            Is.EqualTo(Seq2SeqLoss.LabelSmoothed(Logits(LogitValues), Batch(), 0.1).item<float>()));
    }

    [Test]
    public void SymmetricKlIsTheMeanOverRealTokensOfBothDirections()
    {
        var other = (double[,,])LogitValues.Clone();
        for (int v = 0; v < 4; v++) { other[0, 0, v] *= 0.5; other[1, 1, v] += v; other[1, 2, v] = v; }
        double sum = 0;
        int tokens = 0;
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 3; t++)
            {
                if (Mask[b, t] == 0) continue;
                var (logP, logQ) = (LogSoftmax(LogitValues, b, t), LogSoftmax(other, b, t));
                for (int v = 0; v < 4; v++) sum += Math.Exp(logP[v]) * (logP[v] - logQ[v]) + Math.Exp(logQ[v]) * (logQ[v] - logP[v]);
                tokens++;
            }
        var kl = Seq2SeqLoss.SymmetricKl(Logits(LogitValues), Logits(other), Batch().LabelMask).item<float>();
        Assert.That(kl, Is.EqualTo(sum / tokens).Within(1e-6));
        Assert.That(sum / tokens, Is.GreaterThan(0.01), "the two sides differ at real positions");
    }
}

public class Seq2SeqR3fTests
{
    static Seq2SeqBatch Batch() => Seq2SeqBatch.FromIds(
        [[0, 5, 9, 12, 7, 2], [0, 11, 6, 2]], [[0, 8, 5, 2], [0, 13, 14, 6, 10, 2]],
        Model.Seq2SeqModelTests.Tiny.PadTokenId, Model.Seq2SeqModelTests.Tiny.DecoderStartTokenId);

    /// <summary>Weights drawn wider than BERT's 0.02, so that a random tiny model's outputs depend visibly on its inputs.</summary>
    static Seq2SeqModel NewModel() => Model.Seq2SeqModelTests.NewModel(config: Model.Seq2SeqModelTests.Tiny with { InitStd = 0.3 });

    [Test]
    public void TheTermIsZeroWithoutNoise()
    {
        using var model = NewModel();
        var method = new Seq2SeqR3f(new R3fOptions { NoiseType = NoiseType.Normal }, model);
        var batch = Batch();
        var words = model.WordEmbeddings(batch.SourceIds);
        var (task, kl) = method.Terms(model, batch, words, zeros_like(words));
        Assert.That(kl.item<float>(), Is.EqualTo(0).Within(1e-9));
        Assert.That(task.item<float>(), Is.EqualTo(Seq2SeqLoss.LabelSmoothed(model.Logits(batch), batch, 0).item<float>()).Within(1e-6),
            "the task term is the clean half's loss");
        // (Not a constant shift: the embedding LayerNorm removes one.)
        var (_, noisyKl) = method.Terms(model, batch, words, randn_like(words));
        Assert.That(noisyKl.item<float>(), Is.GreaterThan(1e-4), "noise moves the token distributions");
    }

    [Test]
    public void GradientOfTheLossMatchesFiniteDifferences()
    {
        using var model = NewModel();
        model.to(float64);
        var method = new Seq2SeqR3f(new R3fOptions { Lambda = 0.7, LabelSmoothing = 0.1 }, model);
        var batch = Batch();
        manual_seed(5);
        var noise = randn(batch.SourceIds.shape[0], batch.SourceIds.shape[1], model.Config.DModel, dtype: float64) * 0.3;
        double Loss()
        {
            using var _ = NewDisposeScope();
            var (task, kl) = method.Terms(model, batch, model.WordEmbeddings(batch.SourceIds), noise);
            return (task + 0.7 * kl).item<double>();
        }
        var (taskTerm, klTerm) = method.Terms(model, batch, model.WordEmbeddings(batch.SourceIds), noise);
        (taskTerm + 0.7 * klTerm).backward();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        // The shared embeddings (reached by both source paths, the decoder and the output projection), an encoder and a
        // decoder weight; in each, the entry with the largest gradient and one other.
        string[] names = ["model.shared.weight", "model.encoder.layers.0.self_attn.q_proj.weight", "model.decoder.layers.1.encoder_attn.v_proj.weight"];
        var probes = names.SelectMany(name =>
        {
            var grad = parameters[name].grad!;
            var largest = grad.abs().argmax().item<long>();
            return new[] { (name, largest / grad.shape[1], largest % grad.shape[1]), (name, 5L, 3L) };
        }).ToList();
        foreach (var (name, row, column) in probes)
        {
            var weight = parameters[name];
            var analytic = weight.grad![row, column].item<double>();
            const double h = 1e-6;
            double original;
            using (no_grad())
            {
                original = weight[row, column].item<double>();
                weight[row, column] = original + h;
            }
            var plus = Loss();
            using (no_grad()) weight[row, column] = original - h;
            var minus = Loss();
            using (no_grad()) weight[row, column] = original;
            var numeric = (plus - minus) / (2 * h);
            Assert.That(analytic, Is.EqualTo(numeric).Within(1e-7 + 1e-5 * Math.Abs(numeric)), name);
        }
        Assert.That(probes.Where((_, i) => i % 2 == 0).Select(p => Math.Abs(parameters[p.name].grad![p.Item2, p.Item3].item<double>())), Is.All.GreaterThan(1e-4),
            "the largest entries move the loss");
    }
}

public class Seq2SeqFineTunerTests
{
    static readonly string[] Words = ["the", "a", "cat", "dog", "sat", "ran", "on", "mat", "tree", "big", "small", "red", "blue", "house", "car", "road", "sun", "moon", "apple", "pear"];

    static readonly Lazy<string> folder = new(CreateModelFolder);
    /// <summary>A tiny seq2seq model folder (1 + 1 layers of width 16), shared with the protocol tests.</summary>
    internal static ModelFolder Model => ModelFolder.Resolve(folder.Value);

    static string CreateModelFolder()
    {
        var directory = TinySetup.TempDirectory();
        var tokenizer = TinySetup.Tokenizer;
        var config = new Seq2SeqConfig
        {
            VocabSize = tokenizer.VocabSize, DModel = 16, EncoderLayers = 1, DecoderLayers = 1, EncoderAttentionHeads = 2, DecoderAttentionHeads = 2,
            EncoderFfnDim = 32, DecoderFfnDim = 32, MaxPositionEmbeddings = 24, PadTokenId = tokenizer.PadId, BosTokenId = tokenizer.ClsId,
            EosTokenId = tokenizer.SepId, DecoderStartTokenId = tokenizer.SepId, TokenizerClass = Seq2SeqConfig.WordPieceTokenizerClass,
        };
        using var model = new Seq2SeqModel(config);
        Initialization.Apply(model, seed: 4);
        Seq2SeqCheckpoint.SaveFolder(directory, model, tokenizer, null);
        return directory;
    }

    /// <summary>Documents of random words whose summary is their first three words (learnable, extractive).</summary>
    internal static SummarizationTask Task(int train = 64, int dev = 8)
    {
        var random = new Random(3);
        SummaryExample Example()
        {
            var words = Enumerable.Range(0, random.Next(6, 12)).Select(_ => Words[random.Next(Words.Length)]).ToArray();
            return new SummaryExample(string.Join(' ', words), string.Join(' ', words[..3]));
        }
        return new SummarizationTask("tiny-headlines", [.. Enumerable.Range(0, train).Select(_ => Example())], [.. Enumerable.Range(0, dev).Select(_ => Example())], null);
    }

    internal static Seq2SeqFineTuneConfig Quick(string method, int steps = 8) => new()
    {
        Task = "tiny-headlines", Method = MethodRegistry.Seq2SeqDefaults(method), MaxSteps = steps, BatchSize = 8, EvalEvery = 4, CheckpointEvery = 3,
        MaxSourceLength = 16, MaxTargetLength = 8, LearningRate = 1e-3, Generation = new() { BeamSize = 2, MaxLength = 6 },
    };

    internal static Seq2SeqFineTuneResult Run(Seq2SeqFineTuneConfig config, string directory, ITrainingProgress? progress = null) =>
        new Seq2SeqFineTuner(config, Task(), Model, directory, progress ?? SilentProgress.Instance).Run();

    static string[] LogWithoutTime(string directory) =>
        [.. File.ReadAllLines(Path.Combine(directory, TrainLog.FileName)).Select(l => string.Join(',', l.Split(',')[..^1]))];

    [Test]
    public void SameSeedGivesTheIdenticalRunAndAnotherSeedAnother()
    {
        var config = Quick("r3f");
        string a = TinySetup.TempDirectory(), b = TinySetup.TempDirectory(), c = TinySetup.TempDirectory();
        Run(config, a);
        Run(config, b);
        Run(config with { Seed = 2 }, c);
        Assert.That(LogWithoutTime(b), Is.EqualTo(LogWithoutTime(a)), "all columns but the elapsed time");
        Assert.That(File.ReadAllBytes(Path.Combine(b, "last", EncoderCheckpoint.WeightsFile)), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, "last", EncoderCheckpoint.WeightsFile))));
        Assert.That(File.ReadAllText(Path.Combine(b, FineTuner.EvalLogFile)), Is.EqualTo(File.ReadAllText(Path.Combine(a, FineTuner.EvalLogFile))));
        Assert.That(LogWithoutTime(c), Is.Not.EqualTo(LogWithoutTime(a)));
    }

    [TestCase("standard")]
    [TestCase("r3f")]
    public void ResumeAfterAnInterruptionContinuesTheSameRun(string method)
    {
        var config = Quick(method) with { Method = MethodRegistry.Seq2SeqDefaults(method) with { LabelSmoothing = 0.1 } };
        var whole = TinySetup.TempDirectory();
        Run(config, whole);
        var interrupted = TinySetup.TempDirectory();
        Assert.Throws<Interrupted>(() => Run(config, interrupted, new InterruptAt(step: 5)));
        var resumed = Run(config, interrupted);
        Assert.That(LogWithoutTime(interrupted), Is.EqualTo(LogWithoutTime(whole)));
        Assert.That(File.ReadAllText(Path.Combine(interrupted, FineTuner.EvalLogFile)), Is.EqualTo(File.ReadAllText(Path.Combine(whole, FineTuner.EvalLogFile))));
        Assert.That(resumed.Steps, Is.EqualTo(8));
    }

    [Test]
    public void TrainingLowersTheLossAndWritesScoresAndLoadableFolders()
    {
        var directory = TinySetup.TempDirectory();
        var result = Run(Quick("standard", steps: 100) with { EvalEvery = 50, LearningRate = 5e-3 }, directory);
        var losses = TrainLog.Read(Path.Combine(directory, TrainLog.FileName), 1).Select(r => r.Loss).ToList();
        Assert.That(losses.TakeLast(10).Average(), Is.LessThan(0.6 * losses[0]), "the targets' cross entropy falls well below its start (ln 26 = 3.26)");
        var rouge1 = result.Best["rouge1"];
        Assert.That(rouge1.Value, Is.GreaterThan(0).And.LessThanOrEqualTo(1));
        Assert.That(rouge1.Low, Is.LessThanOrEqualTo(rouge1.Value));
        Assert.That(rouge1.High, Is.GreaterThanOrEqualTo(rouge1.Value));
        var rows = CsvTable.Read<Seq2SeqEvalRow>(Path.Combine(directory, FineTuner.EvalLogFile));
        Assert.That(rows.Select(r => (r.Step, r.Metric)), Is.EqualTo(new[] { 50, 100 }.SelectMany(s => new[] { "rouge1", "rouge2", "rougeL", "rougeLsum" }.Select(m => (s, m)))));
        foreach (var model in new[] { result.BestFolder, result.LastFolder })
        {
            var loaded = ModelFolder.Resolve(model);
            Assert.That(loaded.IsSeq2Seq, Is.True);
            using var encoder = loaded.LoadEncoder();
            Assert.That(encoder.Config.HiddenSize, Is.EqualTo(16), "the fine-tuned encoder loads alone, e.g. to probe it");
        }
        Assert.That(File.ReadAllLines(Path.Combine(directory, Seq2SeqFineTuner.PredictionsFile)), Has.Length.EqualTo(1 + 8));
    }

    [Test]
    public void AMethodWithoutASeq2SeqFormOrAnEncoderFolderIsAOneLineError()
    {
        var smart = Assert.Throws<InputError>(() => Seq2SeqFineTuner.Check(Quick("standard") with { Method = new SmartOptions() }, Task(), Model));
        Assert.That(smart!.Message, Does.Contain("method 'smart' has no sequence-to-sequence form; seq2seq fine-tuning takes standard, r3f"));
        var encoder = Assert.Throws<InputError>(() => Seq2SeqFineTuner.Check(Quick("standard"), Task(), TinySetup.Model));
        Assert.That(encoder!.Message, Does.Contain("summarization needs a sequence-to-sequence folder"));
        Assert.That(MethodRegistry.Seq2SeqDefaults("r3f"), Is.EqualTo(new R3fOptions { NoiseType = NoiseType.Normal }), "fairseq's seq2seq R3F default noise is normal");
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
