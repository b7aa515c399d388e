using NUnit.Framework;
using Probing.Training.Data;
using Probing.Training.Data.Glue;
using Probing.Training.Infrastructure;

namespace Probing.Tests.Data;

public class GlueReaderTests
{
    static string Fixtures => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "Fixtures", "glue");

    string scratch = "";

    [SetUp]
    public void CopyFixtures()
    {
        scratch = Path.Combine(Path.GetTempPath(), "glue-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.GetFiles(Fixtures, "*.tsv", SearchOption.AllDirectories))
        {
            var target = Path.Combine(scratch, Path.GetRelativePath(Fixtures, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [TearDown]
    public void RemoveScratch() => Directory.Delete(scratch, recursive: true);

    [Test]
    public void CoLAHasNoHeaderAndKeepsQuotesAsText()
    {
        var data = TaskCatalog.Load("cola", Fixtures);
        Assert.That(data.Train, Has.Count.EqualTo(3));
        Assert.That(data.Train[2], Is.EqualTo(Example.Classified("They drank the pub.", null, 0)));
        Assert.That(data.Dev[1].Text1, Is.EqualTo("The more we study verbs, the crazier they get \"the\"."));
    }

    [Test]
    public void SingleSentenceAndPairTasksReadTheirOwnColumns()
    {
        var sst = TaskCatalog.Load("SST-2", Fixtures);
        Assert.That(sst.Train[1].Text1, Does.StartWith("that loves its characters"));
        Assert.That(sst.Train.Select(e => e.Label), Is.EqualTo(new[] { 0, 1 }));

        var mrpc = TaskCatalog.Load("mrpc", Fixtures); // train.tsv starts with a byte-order mark
        Assert.That(mrpc.Train[0].Text2, Does.StartWith("Referring to him as only"));
        Assert.That(mrpc.Train.Select(e => e.Label), Is.EqualTo(new[] { 1, 0 }));

        var qnli = TaskCatalog.Load("qnli", Fixtures);
        Assert.That(qnli.Train[1].Text1, Does.StartWith("Which missile batteries"));
        Assert.That(qnli.Spec.Labels[qnli.Train[1].Label], Is.EqualTo("entailment"));

        var rte = TaskCatalog.Load("rte", Fixtures);
        Assert.That(rte.Dev[0].Text2, Is.EqualTo("Christopher Reeve had an accident."));
        Assert.That(rte.Spec.Labels[rte.Dev[0].Label], Is.EqualTo("not_entailment"));

        var wnli = TaskCatalog.Load("wnli", Fixtures);
        Assert.That(wnli.Train, Has.Count.EqualTo(3));
        Assert.That(wnli.Dev[0].Label, Is.EqualTo(0));
    }

    [Test]
    public void StsbReadsSentencesAtColumnsSevenAndEightAndTheScoreLast()
    {
        var data = TaskCatalog.Load("stsb", Fixtures);
        Assert.That(data.Train[1], Is.EqualTo(Example.Scored("A man is playing a large flute.", "A man is playing a flute.", 3.8)));
        Assert.That(data.Spec.IsRegression);
    }

    [Test]
    public void QqpSkipsAndCountsLinesWithMissingFields()
    {
        var result = GlueReader.Read(GlueTasks.Find("qqp")!, Fixtures);
        Assert.That(result.Data.Train, Has.Count.EqualTo(3));
        Assert.That(result.SkippedLines["train"], Is.EqualTo(1));
        Assert.That(result.SkippedLines["dev"], Is.EqualTo(0));
        Assert.That(result.Data.Train[2].Text1, Is.EqualTo("What causes stool color to change to yellow?"));
    }

    [Test]
    public void MnliReadsSentencesBesideParsesAndGoldLabelLast()
    {
        var matched = TaskCatalog.Load("mnli", Fixtures);
        Assert.That(matched.Train[1].Text2, Is.EqualTo("You lose the things to the following level if the people recall."));
        Assert.That(matched.Spec.Labels[matched.Train[0].Label], Is.EqualTo("neutral"));
        Assert.That(matched.Dev[0].Text1, Is.EqualTo("The new rights are nice enough"));
        Assert.That(matched.Spec.Labels[matched.Split("dev_mismatched")[0].Label], Is.EqualTo("contradiction"));
        var mismatched = TaskCatalog.Load("mnli-mm", Fixtures);
        Assert.That(mismatched.Dev[0].Text1, Does.StartWith("Your contribution helped"));
    }

    [Test]
    public void WrongColumnCountNamesFileAndLine()
    {
        File.AppendAllText(Path.Combine(scratch, "RTE", "train.tsv"), "2\tonly one sentence\tnot_entailment\n");
        var error = Assert.Throws<InputError>(() => TaskCatalog.Load("rte", scratch));
        Assert.That(error!.Message, Does.EndWith(Path.Combine("RTE", "train.tsv") + ":4: expected 4 tab-separated columns, found 3"));
    }

    [Test]
    public void QqpLineWithTooManyFieldsIsAnError()
    {
        File.AppendAllText(Path.Combine(scratch, "QQP", "dev.tsv"), "1\t2\t3\ta\tb\t0\textra\n");
        var error = Assert.Throws<InputError>(() => TaskCatalog.Load("qqp", scratch));
        Assert.That(error!.Message, Does.Contain("dev.tsv:3: expected 6"));
    }

    [Test]
    public void UnknownLabelNamesFileLineAndTheValidLabels()
    {
        File.AppendAllText(Path.Combine(scratch, "CoLA", "dev.tsv"), "gj04\t2\t\tA sentence.\n");
        var error = Assert.Throws<InputError>(() => TaskCatalog.Load("cola", scratch));
        Assert.That(error!.Message, Does.Contain("dev.tsv:3: unknown label '2' (expected 0, 1)"));
    }

    [Test]
    public void ScoreThatIsNotANumberIsAnError()
    {
        File.AppendAllText(Path.Combine(scratch, "STS-B", "dev.tsv"), "1\tg\tf\ty\to\ts\ts\ta\tb\tfive\n");
        Assert.That(Assert.Throws<InputError>(() => TaskCatalog.Load("stsb", scratch))!.Message, Does.Contain("dev.tsv:3: score 'five'"));
    }

    [Test]
    public void WrongHeaderIsAnError()
    {
        File.WriteAllText(Path.Combine(scratch, "SST-2", "dev.tsv"), "label\tsentence\n1\tgood\n");
        Assert.That(Assert.Throws<InputError>(() => TaskCatalog.Load("sst2", scratch))!.Message, Does.Contain("dev.tsv:1: expected the SST-2 header"));
    }

    [Test]
    public void EmptySplitIsAnError()
    {
        File.WriteAllText(Path.Combine(scratch, "WNLI", "dev.tsv"), "index\tsentence1\tsentence2\tlabel\n");
        Assert.That(Assert.Throws<InputError>(() => TaskCatalog.Load("wnli", scratch))!.Message, Does.EndWith("dev.tsv: no examples"));
    }

    [Test]
    public void InvalidUtf8NamesTheLine()
    {
        File.AppendAllBytes(Path.Combine(scratch, "SST-2", "train.tsv"), [0x62, 0x61, 0xff, 0x64, 0x09, 0x31, 0x0a]);
        Assert.That(Assert.Throws<InputError>(() => TaskCatalog.Load("sst2", scratch))!.Message, Does.EndWith("train.tsv:4: not valid UTF-8"));
    }

    [Test]
    public void MissingFolderOrFileIsAnError()
    {
        File.Delete(Path.Combine(scratch, "MNLI", "dev_mismatched.tsv"));
        Assert.That(Assert.Throws<InputError>(() => TaskCatalog.Load("mnli", scratch))!.Message, Does.EndWith("dev_mismatched.tsv: file not found"));
        Directory.Delete(Path.Combine(scratch, "QNLI"), recursive: true);
        Assert.That(Assert.Throws<InputError>(() => TaskCatalog.Load("qnli", scratch))!.Message, Does.Contain("folder for GLUE task qnli not found"));
        Assert.That(Assert.Throws<InputError>(() => TaskCatalog.Load("qnli", Path.Combine(scratch, "nope")))!.Message, Does.Contain("GLUE folder not found"));
    }

    [Test]
    public void UnknownTaskListsTheValidOnesAndGlueNeedsADataDir()
    {
        var unknown = Assert.Throws<InputError>(() => TaskCatalog.Load("sst-3"))!.Message;
        Assert.That(unknown, Does.Contain("unknown task 'sst-3'").And.Contain("fine-foods").And.Contain("qnli-proxy").And.Contain("sst2"));
        Assert.That(Assert.Throws<InputError>(() => TaskCatalog.Load("rte"))!.Message, Does.Contain("--data-dir"));
    }
}
