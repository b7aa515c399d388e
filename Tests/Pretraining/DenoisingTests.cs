using NUnit.Framework;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Pretraining;
using Probing.Training.Text;
using static TorchSharp.torch;

namespace Probing.Tests.Pretraining;

public class TextInfillingTests
{
    const int Mask = 103, Cls = 101, Sep = 102;

    static int[] Sequence(int bodyLength) => [Cls, .. Enumerable.Range(1000, bodyLength), Sep];

    [Test]
    public void KeptTokensStayInOrderAndEveryRemovedRunBecomesOneMask()
    {
        var infilling = new TextInfilling();
        var random = new Random(3);
        for (int trial = 0; trial < 200; trial++)
        {
            var original = Sequence(40);
            var result = infilling.Apply(original, Mask, random);
            Assert.That(result.Source[0], Is.EqualTo(Cls));
            Assert.That(result.Source[^1], Is.EqualTo(Sep));
            Assert.That(result.Removed[0] || result.Removed[^1], Is.False, "[CLS] and [SEP] are never removed");
            var kept = original.Where((_, i) => !result.Removed[i]).ToArray();
            Assert.That(result.Source.Where(t => t != Mask), Is.EqualTo(kept));
            var removedRuns = Enumerable.Range(1, original.Length - 1).Count(i => result.Removed[i] && !result.Removed[i - 1]);
            var masks = result.Source.Count(t => t == Mask);
            Assert.That(masks, Is.GreaterThanOrEqualTo(removedRuns), "one mask per removed run, plus one per 0-length span");
            Assert.That(result.Removed.Count(r => r), Is.InRange(1, 12), "at most ⌈0.3 · 40⌉ tokens (spans may overlap)");
        }
    }

    [Test]
    public void AboutThirtyPercentIsRemovedInSpansOfAboutLambda()
    {
        var infilling = new TextInfilling(MaskRatio: 0.3, PoissonLambda: 3);
        var random = new Random(5);
        long removed = 0, total = 0, runs = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            var result = infilling.Apply(Sequence(100), Mask, random);
            removed += result.Removed.Count(r => r);
            runs += Enumerable.Range(1, result.Removed.Length - 1).Count(i => result.Removed[i] && !result.Removed[i - 1]);
            total += 100;
        }
        // 30 tokens a sequence are assigned to spans; overlapping spans make the removed share a little lower.
        Assert.That((double)removed / total, Is.InRange(0.24, 0.30));
        // Runs average a bit more than λ = 3 tokens: zero-length spans insert instead of removing, and overlaps merge.
        Assert.That((double)removed / runs, Is.InRange(3.0, 4.5));
    }

    [Test]
    public void SameRandomStateGivesTheSameCorruption()
    {
        var a = new TextInfilling().Apply(Sequence(50), Mask, new Random(9));
        var b = new TextInfilling().Apply(Sequence(50), Mask, new Random(9));
        Assert.That(b.Source, Is.EqualTo(a.Source));
        Assert.That(b.Removed, Is.EqualTo(a.Removed));
    }
}

public class DenoisingPretrainerTests
{
    static readonly WordPieceTextTokenizer Tokenizer = WordPieceTextTokenizer.BertBaseUncased();

    static readonly DenoisingConfig Tiny = new()
    {
        Model = new Seq2SeqConfig
        {
            VocabSize = Tokenizer.VocabSize, DModel = 32, EncoderLayers = 1, DecoderLayers = 1, EncoderAttentionHeads = 2, DecoderAttentionHeads = 2,
            EncoderFfnDim = 64, DecoderFfnDim = 64, MaxPositionEmbeddings = 16, PadTokenId = Tokenizer.PadId, BosTokenId = Tokenizer.ClsId,
            EosTokenId = Tokenizer.SepId, DecoderStartTokenId = Tokenizer.SepId,
        },
        WarmStart = DenoisingConfig.NoWarmStart, SequenceLength = 16, BatchSize = 8, Steps = 40, LearningRate = 3e-3, CheckpointEvery = 20, EvalSequences = 16,
    };

    /// <summary>A repetitive toy corpus: its spans are easy to infer, so the loss must fall.</summary>
    static PackedSequences Corpus()
    {
        string[] subjects = ["the cat", "a dog", "the bird", "my friend"], verbs = ["sat on", "looked at", "ran to"], objects = ["the mat .", "a tree .", "the house ."];
        var lines = (from s in subjects from v in verbs from o in objects select $"{s} {v} {o}").ToList();
        return PackedSequences.Pack([.. Enumerable.Repeat(lines, 8).SelectMany(l => l)], Tokenizer, Tiny.SequenceLength);
    }

    static List<PretrainLogRow> Train(string directory, DenoisingConfig config, ITrainingProgress? progress = null)
    {
        using var model = new DenoisingPretrainer(config, Tokenizer, Corpus(), directory, progress ?? SilentProgress.Instance)
            .Train(m => Initialization.Apply(m, config.Seed));
        return CsvTable.Read<PretrainLogRow>(Path.Combine(directory, PretrainingLoop.LogFile));
    }

    [Test, Category("Slow")]
    public void TinyDenoisingLowersTheLossAndBeatsTheUnigramBaseline()
    {
        var directory = TempDirectory();
        var config = Tiny with { Steps = 150, CheckpointEvery = 150 };
        var pretrainer = new DenoisingPretrainer(config, Tokenizer, Corpus(), directory, SilentProgress.Instance);
        using var model = pretrainer.Train(m => Initialization.Apply(m, config.Seed));
        var log = CsvTable.Read<PretrainLogRow>(Path.Combine(directory, PretrainingLoop.LogFile));
        var first = log.Take(5).Average(r => r.Loss);
        var last = log.TakeLast(5).Average(r => r.Loss);
        Assert.That(last, Is.LessThan(first * 0.6), $"loss went from {first:F3} to {last:F3}");
        var evaluation = pretrainer.Evaluate(model, Corpus());
        Assert.That(evaluation.InfilledTokens, Is.GreaterThan(0));
        Assert.That(evaluation.UnigramToken, Is.EqualTo("the"));
        Assert.That(evaluation.InfilledAccuracy, Is.GreaterThan(evaluation.UnigramAccuracy));
        Assert.That(evaluation.TokenAccuracy, Is.GreaterThan(evaluation.InfilledAccuracy), "kept tokens are easier: they can be copied");
    }

    [Test]
    public void SameSeedGivesTheIdenticalLossSequence()
    {
        var config = Tiny with { Steps = 8, CheckpointEvery = 8 };
        var a = Train(TempDirectory(), config).Select(r => r.Loss);
        var b = Train(TempDirectory(), config).Select(r => r.Loss);
        var c = Train(TempDirectory(), config with { Seed = 2 }).Select(r => r.Loss);
        Assert.That(b, Is.EqualTo(a));
        Assert.That(c, Is.Not.EqualTo(a));
    }

    [Test]
    public void ResumeAfterAnInterruptionContinuesTheSameLossSequence()
    {
        var config = Tiny with { Steps = 12, CheckpointEvery = 5 };
        var uninterrupted = Train(TempDirectory(), config).Select(r => r.Loss).ToList();
        var directory = TempDirectory();
        Assert.Throws<Interrupted>(() => Train(directory, config, new InterruptAt(step: 8)));
        var resumed = Train(directory, config).Select(r => r.Loss).ToList();
        Assert.That(resumed, Is.EqualTo(uninterrupted));
    }

    [Test]
    public void WarmStartCopiesTheEncoderAndStartsTheDecoderFromItsLayers()
    {
        var encoderConfig = new EncoderConfig { VocabSize = 50, HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 32, MaxPositionEmbeddings = 12 };
        using var encoder = new Encoder(encoderConfig);
        Initialization.Apply(encoder, encoderConfig, 4);
        var config = new Seq2SeqConfig
        {
            VocabSize = 50, DModel = 16, EncoderLayers = 2, DecoderLayers = 3, EncoderAttentionHeads = 2, DecoderAttentionHeads = 2,
            EncoderFfnDim = 32, DecoderFfnDim = 32, MaxPositionEmbeddings = 12, PadTokenId = 0,
        };
        using var model = new Seq2SeqModel(config);
        Initialization.Apply(model, 5);
        using var bias = arange(50, dtype: float32);
        Seq2SeqWarmStart.FromEncoder(model, encoder, bias, DecoderInitialization.Encoder);

        var bert = encoder.state_dict();
        var bart = model.state_dict();
        void Same(string bartName, Tensor expected) => Assert.That(TensorAssert.Identical(bart[bartName], expected), Is.True, bartName);
        Same("model.shared.weight", bert["embeddings.word_embeddings.weight"]);
        Same("model.encoder.layers.1.self_attn.q_proj.weight", bert["encoder.layer.1.attention.self.query.weight"]);
        Same("model.encoder.layers.0.self_attn_layer_norm.bias", bert["encoder.layer.0.attention.output.LayerNorm.bias"]);
        Same("model.encoder.layers.1.fc2.weight", bert["encoder.layer.1.output.dense.weight"]);
        Same("model.decoder.layers.1.self_attn.out_proj.weight", bert["encoder.layer.1.attention.output.dense.weight"]);
        Same("model.decoder.layers.2.fc1.bias", bert["encoder.layer.0.intermediate.dense.bias"]);
        Same("model.encoder.layernorm_embedding.weight", bert["embeddings.LayerNorm.weight"]);
        Same("final_logits_bias", bias.unsqueeze(0));
        // BERT's position p (plus segment 0, which BART has no table for) is BART's row p + 2.
        var positions = bert["embeddings.position_embeddings.weight"] + bert["embeddings.token_type_embeddings.weight"][0];
        Same("model.encoder.embed_positions.weight", cat([bart["model.encoder.embed_positions.weight"].narrow(0, 0, 2), positions], 0));
        Assert.That(TensorAssert.Identical(bart["model.decoder.embed_positions.weight"].narrow(0, 2, 12), positions), Is.True, "the decoder's positions too");
        Assert.That(TensorAssert.Identical(bart["model.decoder.layers.0.encoder_attn.q_proj.weight"], bart["model.decoder.layers.0.self_attn.q_proj.weight"]), Is.False,
            "cross-attention has no counterpart in the encoder and stays fresh");
    }

    [Test]
    public void WarmStartedEncoderComputesTheEncodersFunctionUpToLayerNormEpsilon()
    {
        var encoderConfig = new EncoderConfig { VocabSize = 50, HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 32, MaxPositionEmbeddings = 12, LayerNormEps = 1e-5 };
        using var encoder = new Encoder(encoderConfig);
        Initialization.Apply(encoder, encoderConfig, 4);
        using var model = new Seq2SeqModel(new Seq2SeqConfig
        {
            VocabSize = 50, DModel = 16, EncoderLayers = 2, DecoderLayers = 1, EncoderAttentionHeads = 2, DecoderAttentionHeads = 2,
            EncoderFfnDim = 32, DecoderFfnDim = 32, MaxPositionEmbeddings = 12, PadTokenId = 0,
        });
        Seq2SeqWarmStart.FromEncoder(model, encoder, null, DecoderInitialization.Random);
        encoder.eval();
        model.eval();
        using var _ = no_grad();
        var ids = tensor(new long[] { 2, 7, 8, 9, 3 }).unsqueeze(0);
        var expected = encoder.Forward(ids, zeros_like(ids), ones_like(ids)).Last;
        var actual = model.Encode(ids, ones_like(ids)).Last;
        Assert.That((expected - actual).abs().max().item<float>(), Is.LessThan(1e-5f));
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

    static string TempDirectory() => Directory.CreateTempSubdirectory("probing-denoise-").FullName;
}

public class DenoisingPipelineTests
{
    static readonly Seq2SeqConfig TinyShape = new()
    {
        DModel = 16, EncoderLayers = 2, DecoderLayers = 2, EncoderAttentionHeads = 2, DecoderAttentionHeads = 2,
        EncoderFfnDim = 32, DecoderFfnDim = 32, MaxPositionEmbeddings = 16,
    };

    static (DenoisingConfig Config, CorpusSource Corpus, string Run) Setup()
    {
        var directory = Directory.CreateTempSubdirectory("probing-denoise-pipeline-").FullName;
        var start = Probes.TinyProbingWorld.SaveModel(Path.Combine(directory, "base"), seed: 3);
        var corpus = Path.Combine(directory, "corpus.txt");
        string[] words = ["the cat", "my dog", "an old horse", "we like bread", "one big cake", "the saw and the drill"];
        File.WriteAllLines(corpus, Enumerable.Range(0, 300).Select(i => $"{words[i % 6]} and {words[(i * 7 + 1) % 6]} {i}"));
        var config = new DenoisingConfig
        {
            Model = TinyShape, WarmStart = start.Path, SequenceLength = 16, BatchSize = 4, Steps = 3, CheckpointEvery = 3, EvalSequences = 4, HeldOutFraction = 0.2,
        };
        return (config, new CorpusSource([corpus], WordPieceTextTokenizer.DefaultVocabPath, _ => false), Path.Combine(directory, "run"));
    }

    [Test]
    public void WritesALoadableSeq2SeqFolderOnTheWarmStartsTokenizer()
    {
        var (config, corpus, run) = Setup();
        var outcome = DenoisingPipeline.Run(config, corpus, run, SilentProgress.Instance);
        Assert.That(outcome.Evaluation.TargetTokens, Is.GreaterThan(0));
        var folder = ModelFolder.Resolve(Path.Combine(run, DenoisingPipeline.ModelSubfolder));
        Assert.That(folder.IsSeq2Seq && folder.UsesWordPiece, Is.True);
        Assert.That(File.Exists(folder.File(FolderChecksums.FileName)), Is.True);
        Assert.That(folder.LoadTokenizer().Vocabulary, Is.EqualTo(Probes.TinyProbingWorld.Vocabulary));
        using var model = folder.LoadSeq2Seq();
        Assert.That(model.Config with { }, Is.EqualTo(TinyShape with
        {
            VocabSize = Probes.TinyProbingWorld.Vocabulary.Count, PadTokenId = 0, BosTokenId = 2, EosTokenId = 3, DecoderStartTokenId = 3,
            TokenizerClass = Seq2SeqConfig.WordPieceTokenizerClass,
        }));
    }

    [Test]
    public void AShapeThatDiffersFromTheWarmStartIsAOneLineError()
    {
        var (config, corpus, run) = Setup();
        var error = Assert.Throws<InputError>(() => DenoisingPipeline.Run(config with { Model = TinyShape with { EncoderFfnDim = 64 } }, corpus, run, SilentProgress.Instance));
        Assert.That(error!.Message, Does.Contain("model.encoder_ffn_dim is 64 but the warm start's intermediate_size is 32"));
    }
}
