using NUnit.Framework;
using System.Globalization;
using System.Text.Json;
using Probing.Probing.Features;

namespace Probing.Tests.Probes;

/// <summary>The committed synthetic feature set and scikit-learn's solutions on it (see Fixtures/make_probe_fixture.py).</summary>
public sealed class ProbeFixture
{
    public required FeatureMatrix Train { get; init; }
    public required FeatureMatrix Test { get; init; }
    public required int[] TrainLabels { get; init; }
    public required int[] TestLabels { get; init; }
    public required double[] TrainScores { get; init; }
    public required JsonElement Reference { get; init; }

    static string Folder => Path.Combine(TestContext.CurrentContext.TestDirectory, "Probing", "Fixtures");

    public static ProbeFixture Load()
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, "probe_features.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        FeatureMatrix Matrix(IEnumerable<string[]> rows)
        {
            var list = rows.ToList();
            var data = list.SelectMany(r => r.Skip(3).Select(v => float.Parse(v, CultureInfo.InvariantCulture))).ToArray();
            return new FeatureMatrix(data, list.Count, list[0].Length - 3);
        }
        var train = lines.Where(r => r[0] == "train").ToList();
        var test = lines.Where(r => r[0] == "test").ToList();
        return new ProbeFixture
        {
            Train = Matrix(train),
            Test = Matrix(test),
            TrainLabels = [.. train.Select(r => int.Parse(r[1], CultureInfo.InvariantCulture))],
            TestLabels = [.. test.Select(r => int.Parse(r[1], CultureInfo.InvariantCulture))],
            TrainScores = [.. train.Select(r => (double)float.Parse(r[2], CultureInfo.InvariantCulture))],
            Reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "probe_reference.json"))).RootElement,
        };
    }
}
