using System.Text.Json;
using NUnit.Framework;
using Probing.Training.Evaluation;
using Probing.Training.Infrastructure;

namespace Probing.Tests.Evaluation;

/// <summary>
/// ROUGE and the Porter stemmer against an independent reference: rouge-score's algorithm
/// re-implemented in Python with nltk 3.8's own PorterStemmer (Fixtures/make_rouge_fixtures.py,
/// whose scores in turn reproduce rouge-score's ROUGE-1.5.5 test expectations).
/// </summary>
public class RougeReferenceTests
{
    static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Evaluation", "Fixtures", name);

    static readonly (string Name, RougeType Type)[] Types =
        [("rouge1", RougeType.Rouge1), ("rouge2", RougeType.Rouge2), ("rougeL", RougeType.RougeL), ("rougeLsum", RougeType.RougeLsum)];

    [Test]
    public void EveryPairMatchesRougeScoreWithinOneBillionth()
    {
        var pairs = 0;
        var maxDifference = 0.0;
        foreach (var line in File.ReadLines(Fixture("rouge_reference.jsonl")))
        {
            using var json = JsonDocument.Parse(line);
            var target = json.RootElement.GetProperty("target").GetString()!;
            var prediction = json.RootElement.GetProperty("prediction").GetString()!;
            var scores = Rouge.Score(target, prediction);
            foreach (var (name, type) in Types)
            {
                var expected = json.RootElement.GetProperty("scores").GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
                var actual = scores[type];
                var what = $"{name} of target {JsonSerializer.Serialize(target)}, prediction {JsonSerializer.Serialize(prediction)}";
                Assert.That(actual.Precision, Is.EqualTo(expected[0]).Within(1e-9), what + ": precision");
                Assert.That(actual.Recall, Is.EqualTo(expected[1]).Within(1e-9), what + ": recall");
                Assert.That(actual.F1, Is.EqualTo(expected[2]).Within(1e-9), what + ": F1");
                maxDifference = new[] { maxDifference, Math.Abs(actual.Precision - expected[0]), Math.Abs(actual.Recall - expected[1]), Math.Abs(actual.F1 - expected[2]) }.Max();
            }
            pairs++;
        }
        Assert.That(pairs, Is.GreaterThanOrEqualTo(500));
        TestContext.Out.WriteLine($"{pairs} pairs × 4 variants × (P, R, F1): max |C# − reference| = {maxDifference:G3}");
    }

    [Test]
    public void StemmerMatchesNltkOnEveryWordOfTheSummarizationTaskAndTheBrownCorpus()
    {
        var words = 0;
        var wrong = new List<string>();
        foreach (var line in TextFiles.ReadLines(Fixture("porter_reference.tsv.gz")))
        {
            var (word, stem) = (line.Split('\t')[0], line.Split('\t')[1]);
            var actual = PorterStemmer.Stem(word);
            if (actual != stem) wrong.Add($"{word}: nltk {stem}, ours {actual}");
            words++;
        }
        Assert.That(words, Is.GreaterThan(60_000));
        Assert.That(wrong, Is.Empty);
    }
}
