using NUnit.Framework;
using Probing.Tests.Workbench;
using Probing.Workbench.Commands;
using Probing.Workbench.Experiments;
using Probing.Workbench.Reporting;
using Probing.Workbench.Runs;
using static Probing.Tests.Trust.TrustWorld;

namespace Probing.Tests.Trust;

/// <summary>A study keys its runs by identity: a run whose spec changed is a new run, and a stale one is never reported finished.</summary>
public class StudyIdentityTests
{
    static string Spec(string directory, string glue, string model, int steps, string methods = "\"standard\"")
    {
        var path = Path.Combine(directory, "spec.json");
        File.WriteAllText(path, $$"""
        { "name": "changing", "runs": [ { "command": "finetune", "grid": { "method": [{{methods}}] },
            "options": { "task": "rte", "data-dir": "{{glue}}", "model": "{{model}}", "seed": 1 },
            "set": { "max_steps": {{steps}}, "batch_size": 2, "max_length": 24, "eval_batch_size": 2 } } ] }
        """);
        return path;
    }

    [Test]
    public void AChangedRunIsRunAnewAndTheStaleOneMovesAside()
    {
        var (glue, model, directory) = (RteOnlyGlue(), BertCopy(), Temp("probing-study-"));
        var study = Path.Combine(directory, "study");
        Assert.That(CliRunner.Run("run", Spec(directory, glue, model, steps: 2, methods: "\"standard\", \"r3f\""), "--out", study).ExitCode, Is.Zero);
        var r3f = Snapshot(Path.Combine(study, "finetune", "method-r3f"));

        // The spec changes under the same study name: every run now takes 3 steps.
        var changed = Spec(directory, glue, model, steps: 3, methods: "\"standard\", \"r3f\"");
        var cells = RunCommand.PlanCells(changed, StudyGrid.Expand(StudySpec.Read(changed), study, []), study);
        Assert.That(StudyCells.IsDone(study, cells[0]), Is.False, "a finished run of the old spec is not this cell's result");
        Assert.That(StudyResults.Load(study).FineTuning.Select(m => m.Steps), Is.All.EqualTo(2), "until rerun, the study still reports what it ran");

        var (code, error) = CliRunner.Run("run", changed, "--out", study);

        Assert.That(code, Is.Zero, error);
        Assert.That(StudyResults.Load(study).FineTuning.Select(m => m.Steps), Is.EqualTo(new[] { 3, 3 }));
        var superseded = Directory.GetDirectories(Path.Combine(study, "finetune", RunFolder.SupersededFolder));
        Assert.That(superseded, Has.Length.EqualTo(2));
        Assert.That(superseded.Select(Snapshot), Has.Some.EqualTo(r3f), "the old run is kept whole");
        Assert.That(StudyStatus.Read(study, null).Select(s => s.State), Is.All.EqualTo(CellState.Done));
    }

    [Test]
    public void AFolderThatNoLongerHoldsItsCellsRunIsNotReported()
    {
        var (glue, model, directory) = (RteOnlyGlue(), BertCopy(), Temp("probing-study-"));
        var study = Path.Combine(directory, "study");
        Assert.That(CliRunner.Run("run", Spec(directory, glue, model, steps: 2), "--out", study).ExitCode, Is.Zero);
        var cell = Path.Combine(study, "finetune", "method-standard");

        // Someone reruns the cell's folder by hand with another config.
        Assert.That(CliRunner.Run(FineTune(model, glue, cell, "--set", "max_steps=3", "--force-new")).ExitCode, Is.Zero);

        Assert.That(StudyStatus.Read(study, null).Single().State, Is.EqualTo(CellState.NotStarted));
        Assert.That(StudyStatus.Read(study, null).Single().Detail, Does.StartWith("stale"));
        var results = StudyResults.Load(study);
        Assert.That(results.FineTuning, Is.Empty);
        Assert.That(results.Unfinished, Is.EqualTo(new[] { Path.Combine("finetune", "method-standard") }));
    }
}
