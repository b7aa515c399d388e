using NUnit.Framework;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Tests.Probes;
using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Regularizers;
using static TorchSharp.torch;

namespace Probing.Tests.Protocols;

/// <summary>
/// A tiny base (TinyProbingWorld's 2 × 16 encoder and vocabulary) and three tiny tasks over the same
/// words, so that protocols with several stages, methods and seeds run in seconds.
/// </summary>
static class ProtocolWorld
{
    static readonly string[] Fillers = ["the", "an", "my", "we", "see", "like", "one", "big", "old", "and"];
    static readonly string[][] Topics = [["cat", "dog", "horse", "bird", "fish", "cow"], ["bread", "apple", "cheese", "soup", "rice", "cake"], ["hammer", "saw", "drill", "wrench", "nail", "screw"]];

    public const string Topic = "t-topic", Animal = "t-animal", FoodFirst = "t-food-first";

    static readonly Lazy<ModelFolder> model = new(() => TinyProbingWorld.SaveModel(TinyProbingWorld.TempDirectory("protocol-base"), seed: 5));
    public static ModelFolder Base => model.Value;

    public static TaskData Load(string name) => name switch
    {
        Topic => Make(name, ["animal", "food", "tool"], (random, i) => { var t = i % 3; return (Sentence(random, t, t), t); }),
        Animal => Make(name, ["no", "yes"], (random, i) => { var yes = i % 2; var a = yes == 1 ? 0 : 1 + random.Next(2); return (Sentence(random, a, 1 + random.Next(2)), yes); }),
        FoodFirst => Make(name, ["no", "yes"], (random, i) => { var first = random.Next(3); return (Sentence(random, first, random.Next(3)), first == 1 ? 1 : 0); }),
        _ => throw new InputError($"unknown tiny task {name}"),
    };

    static string Sentence(Random random, int firstTopic, int secondTopic) => string.Join(" ",
        Pick(random, Fillers), Pick(random, Topics[firstTopic]), Pick(random, Fillers), Pick(random, Topics[secondTopic]), Pick(random, Fillers));

    static string Pick(Random random, string[] words) => words[random.Next(words.Length)];

    static TaskData Make(string name, string[] labels, Func<Random, int, (string Text, int Label)> draw)
    {
        var random = new Random(StableSeed(name));
        IReadOnlyList<Example> Split(int count) => [.. Enumerable.Range(0, count).Select(i => draw(random, i)).Select(p => Example.Classified(p.Text, null, p.Label))];
        var spec = new TaskSpec(name, false, labels, [MetricKind.Accuracy], name);
        return new TaskData(spec, new Dictionary<string, IReadOnlyList<Example>> { ["train"] = Split(96), ["dev"] = Split(48) });
    }

    static int StableSeed(string text) => text.Aggregate(17, (h, c) => h * 31 + c);

    public static FineTuneConfig Config(string method, int steps = 6) => new()
    {
        Method = MethodRegistry.Defaults(method), MaxSteps = steps, BatchSize = 16, MaxLength = 16, LearningRate = 2e-3,
        EvalEvery = 3, CheckpointEvery = 3,
    };

    public static ProbeSettings Settings(IReadOnlyList<string> tasks, string layers = "all") =>
        new(tasks, LayerSelection.Parse(layers), Pooling.Mean, "linear", [1], TrainLimit: 60, MaxLength: 16, Controls: false);

    public static ProtocolContext Context(FeatureStore store, ProbeSettings settings, ITrainingProgress? progress = null) =>
        new(Base, settings, store, ProbeRegistry.Default, Load, progress);

    public static string TempDirectory(string purpose) => Directory.CreateTempSubdirectory($"probing-{purpose}-").FullName;
}
