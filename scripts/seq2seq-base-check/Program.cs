// Does a denoised seq2seq base earn its place? Fine-tunes three starting points on Debian headline
// generation (long description → one-line synopsis) with the same plain cross-entropy recipe and
// compares held-out loss and greedy outputs:
//   denoised     the pretrain-seq2seq model folder given with --denoised
//   warm-start   data/base copied into encoder and decoder (the decoder from the encoder's layers), no denoising
//   random-dec   data/base's encoder with a freshly initialised decoder
// It writes one CSV row per (start, seed). See docs/seq2seq-base.md for the numbers and the command.
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Probing.Training.Checkpoints;
using Probing.Training.Generation;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Optimization;
using Probing.Training.Pretraining;
using Probing.Training.Text;
using static TorchSharp.torch;

var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--")).ToDictionary(x => x.a[2..], x => args[x.i + 1]);
string Option(string name, string fallback) => options.GetValueOrDefault(name, fallback);
var denoised = Option("denoised", "");
var output = Option("out", "seq2seq-base-check.csv");
var data = Option("data", "/work/shared/data/embedded/debian_descriptions.tsv.gz");
var seeds = Option("seeds", "1,2").Split(',').Select(int.Parse).ToArray();
var steps = int.Parse(Option("steps", "400"));
var trainSize = int.Parse(Option("train", "8000"));
var devSize = int.Parse(Option("dev", "400"));
var starts = Option("starts", "denoised,warm-start,random-dec").Split(',');
const int BatchSize = 32, SourceLength = 64, TargetLength = 32;
const double LearningRate = 5e-4;
TorchRuntime.Configure(int.Parse(Option("threads", "1")));

var baseFolder = ModelFolder.Resolve(null);
var tokenizer = baseFolder.LoadTokenizer();
var (train, dev) = ReadPairs(data, trainSize, devSize);
Console.WriteLine($"{train.Count} training and {dev.Count} dev pairs from {data}");
int[] Source(string text) => tokenizer.Encode(text, maxLength: SourceLength).Ids;
int[] Target(string text) => tokenizer.Encode(text, maxLength: TargetLength).Ids;
var trainSources = train.Select(p => Source(p.Document)).ToArray();
var trainTargets = train.Select(p => Target(p.Summary)).ToArray();
var devSources = dev.Select(p => Source(p.Document)).ToArray();
var devTargets = dev.Select(p => Target(p.Summary)).ToArray();

var rows = new List<string> { "start,seed,steps,dev_loss,dev_token_accuracy,greedy_unigram_f1,train_seconds,example" };
foreach (var start in starts)
    foreach (var seed in seeds)
    {
        using var model = Create(start, seed);
        var clock = Stopwatch.StartNew();
        FineTune(model, seed);
        var seconds = clock.Elapsed.TotalSeconds;
        var (loss, accuracy) = DevLoss(model);
        var summaries = SequenceGenerator.Summarize(model, tokenizer, [.. dev.Select(p => p.Document)], new GenerationOptions { MaxLength = 24 }, SourceLength, batchSize: 50);
        var f1 = summaries.Zip(dev, (s, p) => UnigramF1(s, p.Summary)).Average();
        var row = string.Join(',', start, seed, steps, F(loss), F(accuracy), F(f1), F(seconds), '"' + summaries[0].Replace("\"", "'") + '"');
        Console.WriteLine(row);
        rows.Add(row);
        File.WriteAllLines(output, rows);
    }

static string F(double x) => x.ToString("0.####", CultureInfo.InvariantCulture);

Seq2SeqModel Create(string start, int seed)
{
    if (start == "denoised")
    {
        var folder = ModelFolder.Resolve(denoised);
        var loaded = folder.LoadSeq2Seq();
        return loaded;
    }
    using var encoder = baseFolder.LoadEncoder();
    var config = new Seq2SeqConfig
    {
        VocabSize = tokenizer.VocabSize, PadTokenId = tokenizer.PadId, BosTokenId = tokenizer.ClsId, EosTokenId = tokenizer.SepId,
        DecoderStartTokenId = tokenizer.SepId, TokenizerClass = Seq2SeqConfig.WordPieceTokenizerClass,
    };
    var model = new Seq2SeqModel(config);
    Initialization.Apply(model, seed);
    var tensors = StateDictFile.Read(baseFolder.File(EncoderCheckpoint.WeightsFile));
    Seq2SeqWarmStart.FromEncoder(model, encoder, tensors["cls.predictions.bias"],
        start == "warm-start" ? DecoderInitialization.Encoder : DecoderInitialization.Random);
    return model;
}

void FineTune(Seq2SeqModel model, int seed)
{
    using var optimizer = new AdamW(model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
    var schedule = new LearningRateSchedule(LearningRate, steps / 10, steps);
    var order = new BatchOrder(train.Count, BatchSize, seed);
    var parameters = model.parameters().ToList();
    model.train();
    for (int step = 0; step < steps; step++)
    {
        using var scope = NewDisposeScope();
        manual_seed(seed * 1_000_003L + step);
        var indices = order.Batch(step);
        var batch = Seq2SeqBatch.FromIds([.. indices.Select(i => trainSources[i])], [.. indices.Select(i => trainTargets[i])], model.Config.PadTokenId, model.Config.DecoderStartTokenId);
        var loss = DenoisingPretrainer.Loss(model.Logits(batch), batch);
        loss.backward();
        nn.utils.clip_grad_norm_(parameters, 1.0);
        optimizer.Step(schedule.At(step));
        optimizer.ZeroGrad();
        if ((step + 1) % 50 == 0) Console.WriteLine($"  step {step + 1}: loss {loss.item<float>():F3}");
    }
    model.eval();
}

(double Loss, double Accuracy) DevLoss(Seq2SeqModel model)
{
    using var _ = no_grad();
    double lossSum = 0;
    long tokens = 0, correct = 0;
    for (int first = 0; first < dev.Count; first += 100)
    {
        using var scope = NewDisposeScope();
        var count = Math.Min(100, dev.Count - first);
        var batch = Seq2SeqBatch.FromIds(devSources[first..(first + count)], devTargets[first..(first + count)], model.Config.PadTokenId, model.Config.DecoderStartTokenId);
        var logits = model.Logits(batch);
        var real = batch.LabelMask.to(ScalarType.Bool);
        lossSum += nn.functional.cross_entropy(logits[real], batch.Labels[real], reduction: nn.Reduction.Sum).item<float>();
        correct += logits.argmax(-1).eq(batch.Labels).logical_and_(real).sum().item<long>();
        tokens += real.sum().item<long>();
    }
    return (lossSum / tokens, (double)correct / tokens);
}

/// Unigram F1 of lower-cased alphanumeric words (a ROUGE-1-like overlap without stemming).
static double UnigramF1(string prediction, string reference)
{
    static List<string> Words(string text) => [.. Regex.Split(text.ToLowerInvariant(), "[^a-z0-9]+").Where(w => w.Length > 0)];
    var predicted = Words(prediction);
    var expected = Words(reference);
    if (predicted.Count == 0 || expected.Count == 0) return 0;
    var counts = expected.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
    var overlap = 0;
    foreach (var word in predicted)
        if (counts.TryGetValue(word, out var n) && n > 0) { overlap++; counts[word] = n - 1; }
    if (overlap == 0) return 0;
    double precision = (double)overlap / predicted.Count, recall = (double)overlap / expected.Count;
    return 2 * precision * recall / (precision + recall);
}

static (List<(string Document, string Summary)> Train, List<(string Document, string Summary)> Dev) ReadPairs(string path, int trainSize, int devSize)
{
    using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
    var header = reader.ReadLine()!.Split('\t');
    int Column(string name) => Array.IndexOf(header, name);
    int split = Column("split"), synopsis = Column("synopsis"), description = Column("description");
    List<(string, string)> train = [], dev = [];
    for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
    {
        var fields = line.Split('\t');
        var pair = (fields[description], fields[synopsis]);
        if (fields[split] == "train") train.Add(pair);
        else if (fields[split] == "dev") dev.Add(pair);
    }
    // A fixed, seeded subsample: the same pairs for every start and seed.
    new Random(7).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(train));
    new Random(8).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(dev));
    return (train.Take(trainSize).ToList(), dev.Take(devSize).ToList());
}
