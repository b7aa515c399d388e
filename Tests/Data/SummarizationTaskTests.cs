using System.IO.Compression;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using Probing.Training.Data;
using Probing.Training.Data.Embedded;
using Probing.Training.Data.Summarization;
using Probing.Training.Infrastructure;
using Probing.Training.Pretraining;

namespace Probing.Tests.Data;

/// <summary>The embedded summarization task, debian-headlines (data/TASKS.md).</summary>
public class SummarizationTaskTests
{
    static IReadOnlyList<string[]> SourceRows => new SourceFiles(EmbeddedSuite.DefaultSourcesDir).DebianDescriptions;

    [Test]
    public void LoadsWithTheDocumentedSizes()
    {
        var task = SummarizationCatalog.Load("debian-headlines");
        Assert.That(new[] { task.Train.Count, task.Dev.Count, task.Test!.Count }, Is.EqualTo(new[] { 10_000, 1_000, 1_000 }));
        Assert.That(task.Name, Is.EqualTo("debian-headlines"));
        Assert.That(SummarizationCatalog.Load("Debian_Headlines").Dev, Is.EqualTo(task.Dev), "names match as classification task names do");
        Assert.That(task.Train.Concat(task.Dev).Concat(task.Test).All(e => e.Summary.Split(' ').Length is >= 2 and <= 16 && !e.Summary.Contains('\n')));
    }

    [Test]
    public void NoGroupCrossesSplitsAndNoTrainGroupSharesTextWithAnEvaluationGroup()
    {
        var rows = SourceRows;
        Assert.That(rows.GroupBy(r => r[1]).Where(g => g.Select(r => r[0]).Distinct().Count() > 1).Select(g => g.Key), Is.Empty,
            "the source file assigns every group to one split");
        var groupOf = rows.ToLookup(r => (r[4], r[3]), r => (Split: r[0], Group: r[1]));
        var task = SummarizationCatalog.Load("debian-headlines");
        foreach (var (split, examples) in new[] { ("train", task.Train), ("dev", task.Dev), ("test", task.Test!) })
        {
            var origins = examples.Select(e => groupOf[(e.Document, e.Summary)].ToList()).ToList();
            Assert.That(origins.All(o => o.Count > 0 && o.All(x => x.Split == split)), $"{split}: every example comes from a group of that split");
            var groups = origins.Select(o => o[0].Group).ToList();
            Assert.That(groups.Distinct().Count(), Is.EqualTo(groups.Count), $"{split}: one package per group");
        }
        // Near-twins across groups (openjdk-11 and openjdk-17 share synopses): no train group shares any
        // package's synopsis or description with a group drawn for dev or test.
        var textsOf = rows.ToLookup(r => r[1], r => new[] { TextKey.Normalize(r[3]), TextKey.Normalize(r[4]) });
        HashSet<string> GroupTexts(IEnumerable<SummaryExample> split) =>
            split.SelectMany(e => textsOf[groupOf[(e.Document, e.Summary)].First().Group].SelectMany(t => t)).ToHashSet();
        var evaluation = GroupTexts(task.Dev.Concat(task.Test!));
        Assert.That(task.Train.Where(e => textsOf[groupOf[(e.Document, e.Summary)].First().Group].SelectMany(t => t).Any(evaluation.Contains)), Is.Empty);
        Assert.That(GroupTexts(task.Dev).Intersect(GroupTexts(task.Test!)), Is.Empty, "dev/test groups");
    }

    [Test]
    public void NoDocumentOrSummaryOfDevOrTestOccursInTrain()
    {
        var task = SummarizationCatalog.Load("debian-headlines");
        static HashSet<string> Keys(IEnumerable<SummaryExample> split) =>
            split.SelectMany(e => new[] { e.Document, e.Summary }).Select(TextKey.Normalize).ToHashSet();
        var train = Keys(task.Train);
        Assert.That(train.Intersect(Keys(task.Dev)), Is.Empty, "train/dev");
        Assert.That(train.Intersect(Keys(task.Test!)), Is.Empty, "train/test");
        Assert.That(Keys(task.Dev).Intersect(Keys(task.Test!)), Is.Empty, "dev/test");
    }

    [Test]
    public void DevAndTestTextsAreHeldOutFromPretraining()
    {
        var task = SummarizationCatalog.Load("debian-headlines");
        var heldOut = EmbeddedSuite.HeldOutTexts();
        var evaluationTexts = task.Dev.Concat(task.Test!).SelectMany(e => new[] { e.Document, e.Summary }).ToList();
        Assert.That(evaluationTexts.Where(t => !heldOut.Contains(TextKey.Normalize(t))), Is.Empty);
        Assert.That(task.Train.SelectMany(e => new[] { e.Document, e.Summary }).Count(t => heldOut.Contains(TextKey.Normalize(t))), Is.Zero);
    }

    /// <summary>
    /// The shipped base was pretrained on the corpus minus every held-out text of its day; a task whose
    /// held-out text is a corpus line would mean the base has seen it. So the exclusion count the
    /// current held-out set gives must still be the one the base recorded.
    /// </summary>
    [Test]
    public void TheShippedBaseSawNoHeldOutText()
    {
        var heldOut = EmbeddedSuite.HeldOutTexts();
        var corpus = PretrainingCorpus.Load(CorpusSource.EmbeddedFiles(), line => heldOut.Contains(TextKey.Normalize(line)), heldOutFraction: 0.01);
        using var metrics = JsonDocument.Parse(File.ReadAllText(ProjectPaths.Data("base", "metrics.json")));
        Assert.That(corpus.ExcludedLines, Is.EqualTo(metrics.RootElement.GetProperty("excluded_lines").GetInt32()));
    }

    [Test]
    public void ClassificationCatalogNamesTheTaskKind()
    {
        Assert.That(Assert.Throws<InputError>(() => TaskCatalog.Load("debian-headlines"))!.Message, Does.Contain("summarization"));
        Assert.That(Assert.Throws<InputError>(() => SummarizationCatalog.Load("fine-foods"))!.Message, Does.Contain("classification task"));
        Assert.That(Assert.Throws<InputError>(() => SummarizationCatalog.Load("no-such-task"))!.Message, Does.StartWith("unknown summarization task 'no-such-task'"));
    }

    [Test]
    public void BuilderRefusesAGroupThatCrossesSplits()
    {
        var dir = Path.Combine(Path.GetTempPath(), "debian-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var text = "split\tgroup\tpackage\tsynopsis\tdescription\n" +
                "train\tg1\tfoo\tfoo tool\tFoo is a tool that does foo things.\n" +
                "test\tg1\tfoo-doc\tfoo tool documentation\tFoo is a tool that does foo things. Documentation.\n";
            using (var gzip = new GZipStream(File.Create(Path.Combine(dir, DebianHeadlines.SourceFile)), CompressionMode.Compress))
                gzip.Write(Encoding.UTF8.GetBytes(text));
            var error = Assert.Throws<InputError>(() => DebianHeadlines.Build(new SourceFiles(dir)))!;
            Assert.That(error.Message, Does.EndWith("debian_descriptions.tsv.gz: group g1 crosses splits: foo is in train, foo-doc in test"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
