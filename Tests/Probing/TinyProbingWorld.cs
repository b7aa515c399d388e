using Probing.Probing.Features;
using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.Model;
using Probing.Training.Text;

namespace Probing.Tests.Probes;

/// <summary>Tiny model folders (random BERT-initialised encoders) and a tiny topic task whose label is the topic of its words.</summary>
public static class TinyProbingWorld
{
    static readonly string[][] Topics =
    [
        ["cat", "dog", "horse", "bird", "fish", "cow"],
        ["bread", "apple", "cheese", "soup", "rice", "cake"],
        ["hammer", "saw", "drill", "wrench", "nail", "screw"],
    ];
    static readonly string[] Fillers = ["the", "an", "my", "we", "see", "like", "one", "big", "old", "and"];

    public static readonly IReadOnlyList<string> Vocabulary =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
        .. Fillers, .. Topics.SelectMany(t => t),
        .. Enumerable.Range('a', 26).Select(c => ((char)c).ToString()),
        .. Enumerable.Range('a', 26).Select(c => "##" + (char)c),
    ];

    public static readonly EncoderConfig Config = new()
    {
        VocabSize = Vocabulary.Count, HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 32, MaxPositionEmbeddings = 32,
    };

    public static readonly TaskSpec TopicSpec = new("tiny-topic", false, ["animal", "food", "tool"], [MetricKind.Accuracy], "topic of a short sentence");

    /// <summary>Writes a model folder with a BERT-initialised encoder drawn from <paramref name="seed"/>.</summary>
    public static ModelFolder SaveModel(string directory, int seed)
    {
        using var encoder = new Encoder(Config);
        Initialization.Apply(encoder, Config, seed);
        EncoderCheckpoint.Save(directory, Config, encoder);
        VocabularyFile.Write(Path.Combine(directory, ModelFolder.VocabularyFile), Vocabulary);
        return ModelFolder.Resolve(directory);
    }

    public static TaskData TopicTask(int train = 150, int dev = 60, int test = 60, int seed = 11)
    {
        var random = new Random(seed);
        IReadOnlyList<Example> Split(int count) => [.. Enumerable.Range(0, count).Select(i =>
        {
            var label = i % Topics.Length;
            var words = new[] { Pick(Fillers), Pick(Topics[label]), Pick(Fillers), Pick(Topics[label]), Pick(Fillers) };
            return Example.Classified(string.Join(" ", words), null, label);
        })];
        string Pick(string[] words) => words[random.Next(words.Length)];
        return new TaskData(TopicSpec, new Dictionary<string, IReadOnlyList<Example>> { ["train"] = Split(train), ["dev"] = Split(dev), ["test"] = Split(test) });
    }

    public static string TempDirectory(string purpose) => Directory.CreateTempSubdirectory($"probing-{purpose}-").FullName;

    public static IReadOnlyDictionary<int, FeatureMatrix> Features(FeatureStore store, IFeatureSource source, TaskData task, string split = "dev") =>
        store.Get(source, task.Spec.Name, split, task.Split(split), [0, 1, 2], Pooling.Mean, maxLength: 16);
}
