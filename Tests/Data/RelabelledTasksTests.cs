using NUnit.Framework;
using Probing.Training.Data;
using Probing.Training.Data.Embedded;

namespace Probing.Tests.Data;

/// <summary>
/// The relabelled probe tasks reuse their source task's texts split by split, so they add no
/// text to what pretraining holds out (data/TASKS.md).
/// </summary>
public class RelabelledTasksTests
{
    static readonly object[] Sources =
    [
        new object[] { "sotu-era", "sotu-party", false },
        new object[] { "brown-category", "brown-genre", false },
        new object[] { "wordnet-field", "qnli-proxy", true },
    ];

    [TestCaseSource(nameof(Sources))]
    public void EverySplitsTextsAreTheSourceTasksTextsOfThatSplit(string name, string sourceName, bool sourceText2)
    {
        var task = TaskCatalog.Load(name);
        var source = TaskCatalog.Load(sourceName);
        foreach (var (split, examples) in task.Splits)
        {
            var sourceTexts = source.Splits[split].Select(e => sourceText2 ? e.Text2! : e.Text1).ToHashSet(StringComparer.Ordinal);
            Assert.That(examples.Select(e => e.Text1).Where(t => !sourceTexts.Contains(t)), Is.Empty, $"{name} {split}: texts not in {sourceName} {split}");
            Assert.That(examples.Select(e => TextKey.Normalize(e.Text1)).Distinct().Count(), Is.EqualTo(examples.Count), $"{name} {split}: repeated text");
        }
    }

    [Test]
    public void RelabelledTasksAddNoHeldOutText()
    {
        var relabelled = EmbeddedSuite.Tasks.Where(t => t.Builder is RelabelledTaskBuilder).Select(t => t.Spec.Name);
        Assert.That(relabelled, Is.EquivalentTo(Sources.Cast<object[]>().Select(s => (string)s[0])));
        var withoutThem = EmbeddedSuite.HeldOutTexts(EmbeddedSuite.Tasks.Where(t => t.Builder is not RelabelledTaskBuilder));
        Assert.That(EmbeddedSuite.HeldOutTexts(EmbeddedSuite.Tasks), Is.EquivalentTo(withoutThem));
    }

    [TestCase("sotu-era"), TestCase("brown-category"), TestCase("wordnet-field")]
    public void EveryLabelHasTwentyDevAndTenTestExamples(string name)
    {
        var data = TaskCatalog.Load(name);
        for (var label = 0; label < data.Spec.Labels.Count; label++)
        {
            Assert.That(data.Dev.Count(e => e.Label == label), Is.GreaterThanOrEqualTo(20), $"{name} dev {data.Spec.Labels[label]}");
            Assert.That(data.Test!.Count(e => e.Label == label), Is.GreaterThanOrEqualTo(10), $"{name} test {data.Spec.Labels[label]}");
        }
    }

    // Checked by hand against data/sources: the SOTU year, the Brown document's category
    // (ca23 news, cc04 reviews, cm01 science_fiction, cd04 religion) and the synset's lex_filenum
    // (02193009 gadfly 05 noun.animal, 03940894 pin/flag 06 noun.artifact, 06981401 Kuvi 10 noun.communication).
    [TestCase("sotu-era", "dev", "It is the embodiment, the effectual embodiment, of the spirit of law and independence and liberty and mutual service.", "1890-1924")] // 1915 Wilson
    [TestCase("sotu-era", "test", "The mere absence of recession is not growth.", "1925-1974")] // 1963 Kennedy
    [TestCase("sotu-era", "test", "Regulatory reform legislation, a responsible clean air act, and passage of enterprise zone legislation will also create new incentives for jobs and opportunity.", "1975-2021")] // 1983 Reagan
    [TestCase("brown-category", "dev", "She was arrested by Phoenix Police after they received the indictment papers from Portland detectives .", "news")]
    [TestCase("brown-category", "test", "Jen Nelson , as Thea , his first wife , managed to make that short role impressive .", "reviews")]
    [TestCase("brown-category", "dev", "Otherwise , straighten your halo , square your wings , and dig in .", "science_fiction")]
    [TestCase("brown-category", "test", "Irenaeus does not claim pre-existence for the human soul ; ;", "religion")]
    [TestCase("wordnet-field", "dev", "any of various large flies that annoy livestock", "animal")]
    [TestCase("wordnet-field", "dev", "flagpole used to mark the position of the hole on a golf green", "artifact")]
    [TestCase("wordnet-field", "dev", "a Dravidian language spoken in southeast India", "communication")]
    public void LabelsMatchTheSource(string name, string split, string text, string label)
    {
        var data = TaskCatalog.Load(name);
        var example = data.Splits[split].Single(e => e.Text1 == text);
        Assert.That(data.Spec.Labels[example.Label], Is.EqualTo(label));
    }

    [Test]
    public void TextsWhoseSourceRowsDisagreeAreDropped()
    {
        // Harrison (1889) and McKinley (1899), both test speeches, share this sentence: two eras.
        const string quoted = "When organized, as they often are, to crush out all healthy competition";
        Assert.That(TaskCatalog.Load("sotu-party").Test!.Count(e => e.Text1.StartsWith(quoted, StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(TaskCatalog.Load("sotu-era").Test!.Count(e => e.Text1.StartsWith(quoted, StringComparison.Ordinal)), Is.Zero);
    }

    [Test]
    public void BuilderKeepsSplitsLabelsFromTheTextsSplitAndDropsConflictsAndUnknownLabels()
    {
        static IReadOnlyList<Example> Texts(params string[] texts) => texts.Select(t => Example.Classified(t, null, 0)).ToList();
        var source = new FixedSource(new Dictionary<string, IReadOnlyList<Example>>
        {
            [SplitAssignment.Train] = Texts("b two", "c three", "h eight"),
            [SplitAssignment.Dev] = Texts("a one", "d four", "e five", "E five!"),
            [SplitAssignment.Test] = Texts("f six", "g seven"),
        });
        (string?, string, string)[] rows =
        [
            (SplitAssignment.Train, "a one", "x"), (SplitAssignment.Dev, "A one", "y"), // the label of the example's own split
            (SplitAssignment.Train, "b two", "x"), (SplitAssignment.Train, "b two", "y"), // rows disagree: dropped
            (SplitAssignment.Train, "c three", "other"), // not a label of the task: dropped
            (SplitAssignment.Train, "h eight", "x"), (SplitAssignment.Dev, "h eight", "y"),
            (SplitAssignment.Dev, "d four", "x"), (null, "d four", "y"), // split-free rows count in every split
            (SplitAssignment.Dev, "e five", "y"), // "E five!" repeats "e five": one is kept
            (null, "f six", "x"), (SplitAssignment.Test, "f six", "x"), // agreeing rows; "g seven" has none
        ];
        var built = new RelabelledTaskBuilder("test", source, e => e.Text1, _ => rows, ["x", "y"]).Build(new SourceFiles("unused"));
        string Show(string split) => string.Join(",", built.Splits[split].Select(e => $"{TextKey.Normalize(e.Text1)}={"xy"[e.Label]}").Order());
        Assert.That(Show(SplitAssignment.Train), Is.EqualTo("h eight=x"));
        Assert.That(Show(SplitAssignment.Dev), Is.EqualTo("a one=y,e five=y"));
        Assert.That(Show(SplitAssignment.Test), Is.EqualTo("f six=x"));
        Assert.That(built.ExtraHeldOut, Is.Empty);
    }

    sealed class FixedSource(IReadOnlyDictionary<string, IReadOnlyList<Example>> splits) : ITaskBuilder
    {
        public BuiltTask Build(SourceFiles sources) => new(splits, []);
    }
}
