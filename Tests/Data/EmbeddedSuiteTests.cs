using System.IO.Compression;
using NUnit.Framework;
using Probing.Training.Data;
using Probing.Training.Data.Embedded;
using Probing.Training.Evaluation;
using Probing.Training.Infrastructure;

namespace Probing.Tests.Data;

public class EmbeddedSuiteTests
{
    // The sizes and label sets documented in data/TASKS.md.
    static readonly object[] Documented =
    [
        new object[] { "fine-foods", 2915, 1000, 1000, new[] { "other", "great" } },
        new object[] { "spam-subjects", 1872, 937, 917, new[] { "ham", "spam" } },
        new object[] { "brown-genre", 6000, 1000, 1000, new[] { "press", "general", "learned", "fiction" } },
        new object[] { "sotu-party", 6000, 1000, 1000, new[] { "democratic", "republican" } },
        new object[] { "fortune-category", 1592, 561, 494, new[] { "computers", "politics", "science", "men-women" } },
        new object[] { "qnli-proxy", 6000, 1000, 1000, new[] { "other_sense", "defines" } },
        new object[] { "qqp-proxy", 6000, 1000, 1000, new[] { "different", "same" } },
        new object[] { "rte-proxy", 6000, 1000, 1000, new[] { "not_next", "next" } },
        new object[] { "cola-proxy", 6000, 1000, 1000, new[] { "unacceptable", "acceptable" } },
        new object[] { "sotu-era", 5999, 1000, 999, new[] { "1829-1889", "1890-1924", "1925-1974", "1975-2021" } },
        new object[] { "brown-category", 5914, 994, 985, new[] { "news", "editorial", "reviews", "religion", "hobbies", "lore",
            "belles_lettres", "government", "learned", "fiction", "mystery", "science_fiction", "adventure", "romance" } },
        new object[] { "wordnet-field", 3523, 562, 586, new[] { "person", "artifact", "act", "animal", "plant", "communication", "state", "attribute" } },
        new object[] { "word-usage-proxy", 6000, 1000, 1000, new[] { "other", "uses" } },
        new object[] { "excerpt-nli-proxy", 6000, 1000, 1000, new[] { "not_entailment", "entailment" } },
        new object[] { "field-pair-proxy", 6000, 1000, 1000, new[] { "different", "same" } },
    ];

    [TestCaseSource(nameof(Documented))]
    public void LoadsWithDocumentedSizesAndLabels(string name, int train, int dev, int test, string[] labels)
    {
        var data = TaskCatalog.Load(name);
        Assert.That(new[] { data.Train.Count, data.Dev.Count, data.Test!.Count }, Is.EqualTo(new[] { train, dev, test }));
        Assert.That(data.Spec.Labels, Is.EqualTo(labels));
        Assert.That(data.Train.Select(e => e.Label).Distinct().Count(), Is.EqualTo(labels.Length), "every label occurs in train");
        Assert.That(data.Train.All(e => (e.Text2 != null) == data.Spec.IsPair));
    }

    [Test]
    public void SuiteHasAtLeastEightTasksAndProxiesAreNamedAsSuch()
    {
        Assert.That(EmbeddedSuite.Tasks, Has.Count.GreaterThanOrEqualTo(8));
        foreach (var task in EmbeddedSuite.Tasks.Where(t => t.Spec.IsPair))
            Assert.That(task.Spec.Name, Does.EndWith("-proxy"));
        Assert.That(EmbeddedSuite.Tasks.Where(t => t.StandsInFor != null).Select(t => t.StandsInFor),
            Is.SupersetOf(new[] { "SST-2", "QNLI", "QQP", "RTE" }));
    }

    [Test]
    public void EvaluationTextNeverOccursInTraining()
    {
        foreach (var task in EmbeddedSuite.Tasks)
        {
            var data = EmbeddedSuite.Load(task);
            var train = Keys(data.Train);
            Assert.That(train.Intersect(Keys(data.Dev)), Is.Empty, $"{task.Spec.Name}: train/dev");
            Assert.That(train.Intersect(Keys(data.Test!)), Is.Empty, $"{task.Spec.Name}: train/test");
            Assert.That(Keys(data.Dev).Intersect(Keys(data.Test!)), Is.Empty, $"{task.Spec.Name}: dev/test");
        }
    }

    [Test]
    public void HeldOutTextsCoverDevAndTestButNotTrain()
    {
        var heldOut = EmbeddedSuite.HeldOutTexts();
        var rte = TaskCatalog.Load("rte-proxy");
        Assert.That(heldOut, Does.Contain(TextKey.Normalize(rte.Dev[0].Text2!)));
        Assert.That(heldOut, Does.Contain(TextKey.Normalize(TaskCatalog.Load("qnli-proxy").Test![0].Text2!)));
        Assert.That(heldOut, Does.Not.Contain(TextKey.Normalize(rte.Train[0].Text1)));
        Assert.That(TextKey.Normalize("  The  jury said \" no evidence \" ."), Is.EqualTo("the jury said no evidence"));
    }

    /// <summary>Exclusion is by exact key, so held-out text from the corpus sources must be corpus lines verbatim.</summary>
    [Test]
    public void HeldOutCorpusTextMatchesPretrainingLines()
    {
        var corpus = new HashSet<string>(new[] { "sotu", "brown", "wordnet" }
            .SelectMany(part => TextFiles.ReadLines(ProjectPaths.Data("corpus", $"pretrain_{part}.txt.gz"))).Select(TextKey.Normalize));
        foreach (var name in new[] { "qnli-proxy", "qqp-proxy", "rte-proxy", "brown-genre", "sotu-party", "sotu-era", "brown-category", "wordnet-field", "excerpt-nli-proxy", "field-pair-proxy", "word-usage-proxy" })
        {
            var data = TaskCatalog.Load(name);
            // qnli-proxy's and word-usage-proxy's questions are templates and excerpt-nli-proxy's excerpts are parts of lines (LearnableProxiesTests checks their sources).
            var texts = data.Dev.Concat(data.Test!).SelectMany(e => name is "qnli-proxy" or "word-usage-proxy" ? [e.Text2!] : name == "excerpt-nli-proxy" || e.Text2 == null ? [e.Text1] : new[] { e.Text1, e.Text2 });
            var missing = texts.Where(t => !corpus.Contains(TextKey.Normalize(t))).ToList();
            Assert.That(missing, Is.Empty, $"{name}: held-out texts absent from the corpus");
        }
        var colaOriginals = TaskFiles.ReadExtraHeldOut(ProjectPaths.Data("tasks", "cola-proxy")).ToList();
        Assert.That(colaOriginals, Is.Not.Empty);
        Assert.That(colaOriginals.Where(t => !corpus.Contains(TextKey.Normalize(t))), Is.Empty);
    }

    [Test]
    public void ProxiesAreNotSolvedByLength()
    {
        foreach (var name in new[] { "qnli-proxy", "qqp-proxy", "rte-proxy", "cola-proxy" })
        {
            var result = TaskBaselines.Compute(TaskCatalog.Load(name));
            var chance = name == "cola-proxy" ? 0.0 : 0.5;
            Assert.That(result.LengthOnly.Dev, Is.LessThan(chance + 0.1), $"{name}: length-only dev score");
        }
    }

    [Test, Category("Slow")]
    public void BuildersAreDeterministicAndMatchTheCommittedFiles()
    {
        var first = Path.Combine(Path.GetTempPath(), "tasks-a-" + Guid.NewGuid().ToString("N"));
        var second = Path.Combine(Path.GetTempPath(), "tasks-b-" + Guid.NewGuid().ToString("N"));
        try
        {
            EmbeddedSuite.Build(EmbeddedSuite.DefaultSourcesDir, first);
            EmbeddedSuite.Build(EmbeddedSuite.DefaultSourcesDir, second);
            var files = Directory.GetFiles(first, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first, f)).Order().ToList();
            Assert.That(files, Has.Count.GreaterThanOrEqualTo(3 * EmbeddedSuite.Tasks.Count));
            Assert.That(files, Does.Contain(Path.Combine("wordnet-field", "test.tsv.gz")), "relabelled tasks are rebuilt too");
            Assert.That(files, Does.Contain(Path.Combine("debian-headlines", "train.tsv.gz")), "summarization tasks are rebuilt too");
            foreach (var file in files)
            {
                Assert.That(File.ReadAllBytes(Path.Combine(second, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(first, file))), file);
                // Decompressed, so another zlib build may compress differently without failing this.
                Assert.That(TextFiles.ReadLines(Path.Combine(first, file)),
                    Is.EqualTo(TextFiles.ReadLines(Path.Combine(EmbeddedSuite.DefaultTasksDir, file))), $"{file} differs from data/tasks: rerun `workbench tasks build`");
            }
        }
        finally
        {
            foreach (var dir in new[] { first, second }) if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void MalformedTaskFileNamesFileAndLine()
    {
        var dir = Path.Combine(Path.GetTempPath(), "task-" + Guid.NewGuid().ToString("N"));
        try
        {
            var spec = TaskCatalog.Spec("spam-subjects");
            var split = new List<Example> { Example.Classified("cheap pills", null, 1) };
            TaskFiles.Write(dir, spec, new BuiltTask(SplitAssignment.Names.ToDictionary(s => s, _ => (IReadOnlyList<Example>)split), []));
            Assert.That(TaskFiles.Read(dir, spec).Dev, Has.Count.EqualTo(1));
            using (var gzip = new GZipStream(File.Create(TaskFiles.SplitFile(dir, "dev")), CompressionMode.Compress))
                gzip.Write("label\ttext\nham\tfine\neggs\tbad label\n"u8);
            Assert.That(Assert.Throws<InputError>(() => TaskFiles.Read(dir, spec))!.Message, Does.EndWith("dev.tsv.gz:3: unknown label 'eggs' (expected ham, spam)"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static HashSet<string> Keys(IEnumerable<Example> examples) =>
        examples.SelectMany(e => e.Text2 == null ? [e.Text1] : new[] { e.Text1, e.Text2 }).Select(TextKey.Normalize).ToHashSet();
}
