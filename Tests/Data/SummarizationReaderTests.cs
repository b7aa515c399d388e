using NUnit.Framework;
using Probing.Tests.Workbench;
using Probing.Training.Data.Summarization;
using Probing.Training.Infrastructure;

namespace Probing.Tests.Data;

/// <summary>Summarization folders researchers bring: fairseq's .source/.target files and JSON Lines.</summary>
public class SummarizationReaderTests
{
    string folder = "";

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(folder = Path.Combine(Path.GetTempPath(), "summaries-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void RemoveFolder() => Directory.Delete(folder, recursive: true);

    void Write(string file, string text) => File.WriteAllText(Path.Combine(folder, file), text);

    void WriteBytes(string file, byte[] bytes) => File.WriteAllBytes(Path.Combine(folder, file), bytes);

    void WriteFairseq(bool test = true)
    {
        Write("train.source", "Police arrested a man on Monday.\n  The storm closed roads in the north.  \nA new library opened downtown.\n");
        Write("train.target", "man arrested\nstorm closes roads\nlibrary opens");
        Write("valid.source", "Prices rose again in March.\r\n");
        Write("valid.target", "prices rise\r\n");
        if (test)
        {
            Write("test.source", "The team won the final.\n");
            Write("test.target", "team wins final\n");
        }
    }

    string Error(Action load) => Assert.Throws<InputError>(() => load())!.Message;

    [Test]
    public void FairseqFolderPairsLineIOfSourceWithLineIOfTarget()
    {
        WriteFairseq();
        var task = SummarizationCatalog.Load(folder);
        Assert.That(task.Name, Is.EqualTo(Path.GetFileName(folder)));
        Assert.That(task.Train, Has.Count.EqualTo(3));
        Assert.That(task.Train[1], Is.EqualTo(new SummaryExample("The storm closed roads in the north.", "storm closes roads")), "lines are trimmed");
        Assert.That(task.Dev, Is.EqualTo(new[] { new SummaryExample("Prices rose again in March.", "prices rise") }), "CRLF line ends");
        Assert.That(task.Test, Has.Count.EqualTo(1));
    }

    [Test]
    public void FairseqTestSplitIsOptional()
    {
        WriteFairseq(test: false);
        Assert.That(SummarizationCatalog.Load(folder).Test, Is.Null);
    }

    [Test]
    public void FairseqErrorsNameTheFileAndLine()
    {
        WriteFairseq();
        Write("train.target", "man arrested\nstorm closes roads\n");
        Assert.That(Error(() => SummarizationCatalog.Load(folder)), Is.EqualTo($"{Path.Combine(folder, "train.target")}: 2 lines, but train.source has 3 (one example per line in both)"));

        WriteFairseq();
        Write("train.source", "Police arrested a man on Monday.\n   \nA new library opened downtown.\n");
        Assert.That(Error(() => SummarizationCatalog.Load(folder)), Is.EqualTo($"{Path.Combine(folder, "train.source")}:2: empty line (every line is one example)"));

        WriteFairseq();
        WriteBytes("valid.target", [(byte)'o', (byte)'k', (byte)'\n', 0xC3, 0x28, (byte)'\n']);
        Write("valid.source", "one\ntwo\n");
        Assert.That(Error(() => SummarizationCatalog.Load(folder)), Is.EqualTo($"{Path.Combine(folder, "valid.target")}:2: not valid UTF-8"));

        WriteFairseq();
        File.Delete(Path.Combine(folder, "test.target"));
        Assert.That(Error(() => SummarizationCatalog.Load(folder)), Does.StartWith($"{Path.Combine(folder, "test.target")}: file not found (test.source exists"));

        WriteFairseq();
        File.Delete(Path.Combine(folder, "valid.source"));
        File.Delete(Path.Combine(folder, "valid.target"));
        Assert.That(Error(() => SummarizationCatalog.Load(folder)), Does.StartWith($"{folder}: no valid.source and valid.target"));
    }

    [Test]
    public void JsonlReadsConfigurableFieldsAndJoinsSentenceArraysWithNewlines()
    {
        Write("train.jsonl", """
            {"id": "1", "article": "Police arrested a man on Monday.", "highlights": "man arrested"}
            {"id": "2", "article": "The storm closed roads.", "highlights": ["storm closes roads", "drivers warned"]}
            """);
        Write("validation.jsonl", """{"article": "Prices rose again.", "highlights": "prices rise", "extra": 3}""" + "\n");
        var task = SummarizationCatalog.Load(folder, new SummaryFields(Document: "article", Summary: "highlights"));
        Assert.That(task.Train[1], Is.EqualTo(new SummaryExample("The storm closed roads.", "storm closes roads\ndrivers warned")));
        Assert.That(task.Dev, Has.Count.EqualTo(1));
        Assert.That(task.Test, Is.Null);

        Write("validation.jsonl", """{"document": "Prices rose again.", "summary": "prices rise"}""");
        Write("train.jsonl", """{"document": "Prices rose again.", "summary": "prices rise"}""");
        Assert.That(SummarizationCatalog.Load(folder).Train[0].Summary, Is.EqualTo("prices rise"), "XSum's and Gigaword's names are the defaults");
    }

    [Test]
    public void JsonlErrorsNameTheFileAndLine()
    {
        var train = Path.Combine(folder, "train.jsonl");
        Write("valid.jsonl", """{"document": "d", "summary": "s"}""");
        void Train(string text) => Write("train.jsonl", text);
        string Load() => Error(() => SummarizationCatalog.Load(folder));

        Train("{\"document\": \"d\", \"summary\": \"s\"}\n{\"document\": \"d\", \"headline\": \"s\"}\n");
        Assert.That(Load(), Is.EqualTo($"{train}:2: no summary field 'summary' (this line has document, headline; the field names are configurable)"));

        Train("{\"document\": \"d\", \"summary\": \"s\"}\n{\"document\": \"d\", \"summary\": \"s\"\n");
        Assert.That(Load(), Does.StartWith($"{train}:2: not valid JSON ("));

        Train("[\"d\", \"s\"]\n");
        Assert.That(Load(), Is.EqualTo($"{train}:1: expected a JSON object, found an array"));

        Train("{\"document\": 42, \"summary\": \"s\"}\n");
        Assert.That(Load(), Is.EqualTo($"{train}:1: document field 'document' is a number; expected a string or an array of strings"));

        Train("{\"document\": \"d\", \"summary\": \"  \"}\n");
        Assert.That(Load(), Is.EqualTo($"{train}:1: summary field 'summary' is empty"));

        Train("{\"document\": \"d\", \"summary\": \"s\"}\n\n{\"document\": \"d\", \"summary\": \"s\"}\n");
        Assert.That(Load(), Is.EqualTo($"{train}:2: empty line (every line is one JSON object)"));

        WriteBytes("train.jsonl", [.. "{\"document\": \"d\", \"summary\": \""u8.ToArray(), 0xFF, .. "\"}\n"u8.ToArray()]);
        Assert.That(Load(), Is.EqualTo($"{train}:1: not valid UTF-8"));

        Train("{\"document\": \"d\", \"summary\": \"s\"}\n");
        Write("dev.jsonl", """{"document": "d", "summary": "s"}""");
        Assert.That(Load(), Is.EqualTo($"{folder}: more than one dev split (valid.jsonl, dev.jsonl): keep one"));
        File.Delete(Path.Combine(folder, "dev.jsonl"));
        File.Delete(Path.Combine(folder, "valid.jsonl"));
        Assert.That(Load(), Does.StartWith($"{folder}: no dev split: expected one of valid.jsonl, validation.jsonl, dev.jsonl"));
    }

    [Test]
    public void AFolderHoldsOneLayout()
    {
        Assert.That(Error(() => SummarizationCatalog.Load(folder)), Does.StartWith($"{folder}: no summarization files"));
        WriteFairseq();
        Write("train.jsonl", """{"document": "d", "summary": "s"}""");
        Assert.That(Error(() => SummarizationCatalog.Load(folder)), Does.StartWith($"{folder}: holds both .source/.target and .jsonl"));
    }

    [Test]
    public void TasksCommandListsSummarizationTasksAndRejectsABadFolderInOneLine()
    {
        WriteFairseq();
        Assert.That(CliRunner.Run("tasks", "--summarization", folder).ExitCode, Is.EqualTo(0));
        Write("valid.target", "");
        var (code, error) = CliRunner.Run("tasks", "--summarization", folder);
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(error.Trim(), Does.Contain("valid.source: no examples").Or.Contain("valid.target: 0 lines, but valid.source has 1"));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
    }
}
