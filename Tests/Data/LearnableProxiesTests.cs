using NUnit.Framework;
using Probing.Training.Data;
using Probing.Training.Data.Embedded;
using Probing.Training.Infrastructure;

namespace Probing.Tests.Data;

/// <summary>The pair proxies built so the shipped base can learn them: their relation holds, and they add no held-out text pretraining saw.</summary>
public class LearnableProxiesTests
{
    static readonly string[] Splits = ["train", "dev", "test"];

    [Test]
    public void FieldPairsJoinTwoWordNetFieldTextsOfOneSplitAndSayWhetherTheirFieldsAgree()
    {
        var pairs = TaskCatalog.Load("field-pair-proxy");
        var fields = TaskCatalog.Load("wordnet-field");
        foreach (var split in Splits)
        {
            var fieldOf = fields.Split(split).ToDictionary(e => e.Text1, e => e.Label);
            foreach (var pair in pairs.Split(split))
            {
                Assert.That(fieldOf.ContainsKey(pair.Text1) && fieldOf.ContainsKey(pair.Text2!), Is.True, $"{split}: both texts are wordnet-field {split} texts: {pair.Text1} | {pair.Text2}");
                Assert.That(pair.Label == 1, Is.EqualTo(fieldOf[pair.Text1] == fieldOf[pair.Text2!]), $"{split}: label says whether the fields agree");
                Assert.That(pair.Text1, Is.Not.EqualTo(pair.Text2));
            }
        }
    }

    [Test]
    public void ExcerptsAreConsecutiveWordsOfThePremiseExactlyWhenEntailed()
    {
        var task = TaskCatalog.Load("excerpt-nli-proxy");
        foreach (var split in Splits)
        {
            var examples = task.Split(split);
            foreach (var e in examples.Where(e => e.Label == 1))
                Assert.That(IsExcerpt(e.Text2!, e.Text1), Is.True, $"{split}: '{e.Text2}' is not an excerpt of '{e.Text1}'");
            var accidental = examples.Count(e => e.Label == 0 && IsExcerpt(e.Text2!, e.Text1));
            Assert.That(accidental, Is.LessThanOrEqualTo(examples.Count / 200), $"{split}: not_entailment excerpts that happen to be in the premise");
            Assert.That(examples.Select(e => e.Text2!.Split(' ').Length), Is.All.InRange(6, 12));
        }
    }

    /// <summary>
    /// Dev and test premises, and the sentences every dev/test excerpt is cut from, are sentences that
    /// sotu-party or rte-proxy already hold out in the same split, so the base never saw them.
    /// </summary>
    [Test]
    public void EveryDevAndTestExcerptComesFromASentenceAlreadyHeldOut()
    {
        var task = TaskCatalog.Load("excerpt-nli-proxy");
        foreach (var split in new[] { "dev", "test" })
        {
            var heldOut = new[] { "sotu-party", "rte-proxy" }.SelectMany(name => TaskCatalog.Load(name).Split(split))
                .SelectMany(e => e.Text2 is null ? [e.Text1] : new[] { e.Text1, e.Text2 }).Distinct().ToList();
            var keys = heldOut.Select(TextKey.Normalize).ToHashSet();
            foreach (var e in task.Split(split))
            {
                Assert.That(keys, Does.Contain(TextKey.Normalize(e.Text1)), $"{split} premise not held out: {e.Text1}");
                Assert.That(heldOut.Any(sentence => IsExcerpt(e.Text2!, sentence)), Is.True, $"{split} excerpt from no held-out sentence: {e.Text2}");
            }
        }
    }

    [Test]
    public void UsageQuestionsAreAnsweredBySentencesThatUseTheWordAndOnlyThose()
    {
        var task = TaskCatalog.Load("word-usage-proxy");
        var qqp = TaskCatalog.Load("qqp-proxy");
        foreach (var split in Splits)
        {
            var sentences = qqp.Split(split).Select(e => e.Text2!).ToHashSet();
            foreach (var e in task.Split(split))
            {
                Assert.That(e.Text1, Does.Match("^What does [a-z]+ mean\\?$"));
                var word = e.Text1.Split(' ')[2];
                Assert.That(WordNetIndex.WordsOf(e.Text2!).Contains(word), Is.EqualTo(e.Label == 1), $"{split}: '{e.Text2}' and '{word}'");
                Assert.That(sentences, Does.Contain(e.Text2), $"{split}: every sentence is a qqp-proxy {split} sentence");
            }
        }
    }

    /// <summary>
    /// The shipped base stays valid: pretraining drops exactly the corpus lines it dropped before these
    /// tasks existed (their held-out texts that are corpus lines were held out already; the rest,
    /// templates and excerpts, are no corpus line).
    /// </summary>
    [Test]
    public void PretrainingDropsTheSameCorpusLinesWithAndWithoutTheseTasks()
    {
        string[] added = ["word-usage-proxy", "excerpt-nli-proxy", "field-pair-proxy"];
        Assert.That(EmbeddedSuite.Tasks.Select(t => t.Spec.Name), Is.SupersetOf(added));
        var all = EmbeddedSuite.HeldOutTexts();
        var without = new HashSet<string>(EmbeddedSuite.HeldOutTexts(EmbeddedSuite.Tasks.Where(t => !added.Contains(t.Spec.Name))));
        without.UnionWith(EmbeddedSuite.HeldOutTexts(EmbeddedSuite.SummarizationTasks));
        Assert.That(all.Count, Is.GreaterThan(without.Count), "the excerpts and template questions are new held-out keys");
        var lines = new[] { "sotu", "brown", "wordnet" }
            .SelectMany(part => TextFiles.ReadLines(ProjectPaths.Data("corpus", $"pretrain_{part}.txt.gz"))).Select(TextKey.Normalize).ToList();
        var dropped = lines.Count(all.Contains);
        Assert.That(dropped, Is.GreaterThan(0));
        Assert.That(dropped, Is.EqualTo(lines.Count(without.Contains)));
    }

    /// <summary>The embedded chain is these learnable tasks after a single-sentence one; on a GLUE folder it is the paper's.</summary>
    [Test]
    public void DefaultChainIsTheLearnableProxiesOnTheEmbeddedSuiteAndThePapersOnGlue()
    {
        var embedded = global::Probing.Probing.Protocols.DegradationChain.DefaultFor(null);
        Assert.That(embedded.Skip(1), Is.EqualTo(new[] { "field-pair-proxy", "word-usage-proxy", "excerpt-nli-proxy" }));
        Assert.That(EmbeddedSuite.Find(embedded[0])!.Spec.IsPair, Is.False, "the first task is single-sentence, as SST-2");
        Assert.That(embedded.Skip(1).Select(name => EmbeddedSuite.Find(name)!.Spec.IsPair), Is.All.True);
        var glue = global::Probing.Probing.Protocols.DegradationChain.DefaultFor("/some/glue");
        Assert.That(glue.Select(name => global::Probing.Training.Data.Glue.GlueTasks.Find(name)?.Spec.Name), Is.EqualTo(new[] { "sst2", "qnli", "qqp", "rte" }));
    }

    static bool IsExcerpt(string excerpt, string sentence) => (" " + sentence + " ").Contains(" " + excerpt + " ", StringComparison.Ordinal);
}
