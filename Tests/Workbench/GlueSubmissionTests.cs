using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Probing.Tests.FineTuning;
using Probing.Training.Data.Glue;

namespace Probing.Tests.Workbench;

/// <summary>
/// GLUE as its users expect, on the official-layout fixture (two or three examples per file): the
/// submission file of every task written by one fine-tuning run, MNLI scored on matched and mismatched
/// dev by one run, and a batch larger than the training set capped with a note.
/// </summary>
public class GlueSubmissionTests
{
    static string Glue => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "Fixtures", "glue");

    static string FineTune(string task, int seed = 1)
    {
        var output = Path.Combine(TinySetup.TempDirectory(), task);
        var (code, error) = CliRunner.Run("finetune", "--task", task, "--data-dir", Glue, "--model", TinySetup.Model.Path, "--seed", seed.ToString(CultureInfo.InvariantCulture),
            "--set", "max_steps=1", "--set", "max_length=16", "--threads", "1", "--out", output);
        Assert.That(code, Is.Zero, error);
        return output;
    }

    static IEnumerable<TestCaseData> Tasks() => GlueTasks.All.Where(f => f.Spec.Name != "mnli-mm")
        .Select(f => new TestCaseData(f.Spec.Name, f.TestFiles.Select(t => t.Submission).ToArray()).SetName($"SubmissionFiles({f.Spec.Name})"));

    [TestCaseSource(nameof(Tasks))]
    public void FineTuningWritesTheTasksSubmissionFiles(string task, string[] files)
    {
        var run = FineTune(task);
        var format = GlueTasks.Find(task)!;
        Assert.That(Directory.GetFiles(Path.Combine(run, "submission")).Select(Path.GetFileName), Is.EquivalentTo(files));
        foreach (var test in format.TestFiles)
        {
            var lines = File.ReadAllLines(Path.Combine(run, "submission", test.Submission));
            var expectedIndices = File.ReadAllLines(Path.Combine(Glue, test.File)).Skip(1).Select(l => l.Split('\t')[0]).ToArray();
            Assert.That(lines[0], Is.EqualTo("index\tprediction"));
            var rows = lines.Skip(1).Select(l => l.Split('\t')).ToList();
            Assert.That(rows.Select(r => r[0]), Is.EqualTo(expectedIndices), test.Submission);
            Assert.That(rows.Select(r => r.Length), Is.All.EqualTo(2));
            if (format.Spec.IsRegression)
                Assert.That(rows.Select(r => double.TryParse(r[1], NumberStyles.Float, CultureInfo.InvariantCulture, out _)), Is.All.True);
            else
                Assert.That(rows.Select(r => r[1]), Is.All.Matches<string>(format.Spec.Labels.Contains));
        }
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!;
        Assert.That(metrics["submission"]!.AsArray().Select(f => Path.GetFileName(f!.GetValue<string>())), Is.EquivalentTo(files));
        Assert.That(metrics["notes"]![0]!.GetValue<string>(), Does.Contain("batch_size 32 is more than the").And.Contain("capped to batch_size"));
    }

    [Test]
    public void MnliIsScoredOnMatchedAndMismatchedByOneRun()
    {
        var run = FineTune("mnli");
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!;
        var mismatched = metrics["other_dev"]!["dev_mismatched"]!["accuracy"]!.GetValue<double>();
        // Two examples in the fixture's mismatched dev: 0, 1/2 or 1.
        Assert.That(new[] { 0, 0.5, 1 }, Does.Contain(mismatched));
        Assert.That(metrics["best_scores"]!["accuracy"], Is.Not.Null);
    }

    [Test]
    public void EnsembleWritesTheVotedSubmission()
    {
        var runs = new[] { FineTune("rte", seed: 1), FineTune("rte", seed: 2) };
        var output = Path.Combine(TinySetup.TempDirectory(), "ensemble.csv");
        var (code, error) = CliRunner.Run(["ensemble", "--runs", .. runs, "--data-dir", Glue, "--out", output]);
        Assert.That(code, Is.Zero, error);
        var lines = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(output)!, "ensemble-submission", "RTE.tsv"));
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines.Skip(1).Select(l => l.Split('\t')[1]), Is.All.AnyOf("entailment", "not_entailment"));
    }
}
