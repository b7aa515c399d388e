using NUnit.Framework;
using Probing.Tests.Workbench;
using Probing.Training.Checkpoints;
using Probing.Training.Data.Glue;
using Probing.Training.Infrastructure;
using Probing.Workbench;
using static Probing.Tests.Trust.TrustWorld;

namespace Probing.Tests.Trust;

/// <summary>A GLUE folder may hold any subset of the tasks; a broken file is one "file:line: problem" and the others are still read.</summary>
public class GlueSubsetTests
{
    [Test]
    public void AFolderWithOnlyRteIsListed()
    {
        var glue = RteOnlyGlue();
        var survey = GlueReader.ReadPresent(glue);
        Assert.That(survey.Read.Select(r => r.Data.Spec.Name), Is.EqualTo(new[] { "rte" }));
        Assert.That(survey.Absent, Has.Count.EqualTo(GlueTasks.All.Count - 1));
        Assert.That(survey.Broken, Is.Empty);
        Assert.That(CliRunner.Run("tasks", "--data-dir", glue), Is.EqualTo((0, "")));
    }

    [Test]
    public void ABrokenFileIsReportedAndTheOtherTasksStillRead()
    {
        var glue = RteOnlyGlue();
        Directory.CreateDirectory(Path.Combine(glue, "SST-2"));
        File.WriteAllText(Path.Combine(glue, "SST-2", "train.tsv"), "sentence\tlabel\ngood\t1\nbad\t0\n");
        File.WriteAllText(Path.Combine(glue, "SST-2", "dev.tsv"), "sentence\tlabel\nfine\t1\n");
        File.AppendAllText(Path.Combine(glue, "RTE", "train.tsv"), "2\tonly one sentence\tnot_entailment\n");

        var survey = GlueReader.ReadPresent(glue);
        Assert.That(survey.Read.Select(r => r.Data.Spec.Name), Is.EqualTo(new[] { "sst2" }));
        Assert.That(survey.Broken.Single().Problem, Is.EqualTo(Path.Combine(glue, "RTE", "train.tsv") + ":4: expected 4 tab-separated columns, found 3"));

        var (code, error) = CliRunner.Run("tasks", "--data-dir", glue);
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode));
        Assert.That(error.Trim(), Is.EqualTo($"error: {Path.Combine(glue, "RTE", "train.tsv")}:4: expected 4 tab-separated columns, found 3"));
    }

    [Test]
    public void AnF8TensorIsRefusedByTheHeaderCheckNotTheLoader()
    {
        var model = BertCopy();
        var weights = Path.Combine(model, EncoderCheckpoint.WeightsFile);
        EditHeader(weights, header =>
        {
            header["bert.pooler.dense.bias"]!["dtype"] = "F8_E5M2";
            header["bert.pooler.dense.bias"]!["shape"] = new System.Text.Json.Nodes.JsonArray(128);
        });
        var error = Assert.Throws<InputError>(() => StateDictFile.Read(weights));
        Assert.That(error!.Message, Is.EqualTo($"{weights}: tensor bert.pooler.dense.bias has dtype F8_E5M2, which the workbench cannot load; supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL"));
        Assert.Throws<InputError>(() => ModelFolder.Resolve(model).LoadEncoder());
    }
}
