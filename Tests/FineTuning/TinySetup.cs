using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;

namespace Probing.Tests.FineTuning;

/// <summary>
/// A tiny vocabulary, encoder and an easy synthetic task (label = whether "banana" occurs), so that
/// every fine-tuning test runs in seconds.
/// </summary>
static class TinySetup
{
    public const string Keyword = "banana";
    static readonly string[] Words = ["the", "a", "cat", "dog", "sat", "ran", "on", "mat", "tree", "big", "small", "red", "blue", "house", "car", "road", "sun", "moon", "apple", "pear", Keyword];

    public static readonly TaskSpec KeywordSpec = new("keyword", false, ["absent", "present"], [MetricKind.Accuracy, MetricKind.F1], "does the sentence mention a banana?");
    public static readonly TaskSpec CountSpec = new("keyword-count", false, [], [MetricKind.Pearson, MetricKind.Spearman], "how many bananas?");

    static readonly Lazy<string> folder = new(CreateModelFolder);

    /// <summary>A model folder (config, weights, vocab) with a randomly initialised 1 × 32 encoder.</summary>
    public static ModelFolder Model => ModelFolder.Resolve(folder.Value);

    public static ITextTokenizer Tokenizer => Model.LoadTokenizer();

    public static EncoderConfig Config(double dropout = 0.1) => new()
    {
        VocabSize = 5 + Words.Length, HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 64,
        MaxPositionEmbeddings = 16, HiddenDropoutProb = dropout, AttentionProbsDropoutProb = dropout,
    };

    /// <summary>Balanced keyword task: half the sentences contain the keyword once.</summary>
    public static TaskData KeywordTask(int train = 256, int dev = 64, int seed = 7)
    {
        var random = new Random(seed);
        Example Draw(int i)
        {
            var present = i % 2 == 1;
            var words = Enumerable.Range(0, random.Next(4, 8)).Select(_ => Words[random.Next(Words.Length - 1)]).ToList();
            if (present) words.Insert(random.Next(words.Count + 1), Keyword);
            return Example.Classified(string.Join(' ', words), null, present ? 1 : 0);
        }
        return new TaskData(KeywordSpec, new Dictionary<string, IReadOnlyList<Example>>
        {
            ["train"] = [.. Enumerable.Range(0, train).Select(Draw)],
            ["dev"] = [.. Enumerable.Range(0, dev).Select(Draw)],
        });
    }

    /// <summary>The same sentences as a regression task: the score is the keyword count.</summary>
    public static TaskData CountTask(double? poison = null)
    {
        var task = KeywordTask();
        IReadOnlyList<Example> Scored(IReadOnlyList<Example> split) =>
            [.. split.Select((e, i) => Example.Scored(e.Text1, null, poison is { } p && i == 0 ? p : e.Label))];
        return new TaskData(CountSpec, new Dictionary<string, IReadOnlyList<Example>> { ["train"] = Scored(task.Train), ["dev"] = Scored(task.Dev) });
    }

    public static SequenceClassifier Classifier(double dropout, bool spectral = false, int seed = 3)
    {
        var model = new SequenceClassifier(Config(dropout), 2, spectral);
        Initialization.Apply(model.Encoder, model.Config, seed);
        model.Head.Initialize(0.02, seed);
        return model;
    }

    public static ClassifierBatch Batch(int size = 8, int seed = 11)
    {
        var task = KeywordTask(train: size, dev: 1, seed: seed);
        return new EncodedExamples(task.Train, task.Spec, Tokenizer, 16).Batch([.. Enumerable.Range(0, size)]);
    }

    public static FineTuneConfig Quick(string method, int steps = 40) => new()
    {
        Task = "keyword", Method = Training.Regularizers.MethodRegistry.Defaults(method), MaxSteps = steps, BatchSize = 16,
        MaxLength = 16, LearningRate = 2e-3, WarmupFraction = 0.05, EvalEvery = steps, CheckpointEvery = steps,
    };

    public static string TempDirectory() => Directory.CreateTempSubdirectory("probing-finetune-").FullName;

    static string CreateModelFolder()
    {
        var directory = TempDirectory();
        var config = Config();
        using var encoder = new Encoder(config);
        Initialization.Apply(encoder, config, seed: 1);
        EncoderCheckpoint.Save(directory, config, encoder);
        VocabularyFile.Write(Path.Combine(directory, ModelFolder.VocabularyFile), [.. BertSpecialTokens(), .. Words]);
        return directory;
    }

    static string[] BertSpecialTokens() => ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
}
