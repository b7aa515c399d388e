using System.Diagnostics;
using NUnit.Framework;
using Probing.Tests.Workbench;
using Probing.Training.Pretraining;

namespace Probing.Tests.Experiments;

/// <summary>
/// A tiny study through a real Slurm (<c>scripts/slurm-local.sh up</c> starts a single-node cluster):
/// every run must produce the same losses and weights as the same study run locally.
/// </summary>
[Category("Slurm")]
public class SlurmIntegrationTests
{
    const string Spec = """
    { "name": "slurm-check", "runs": [ { "command": "pretrain", "grid": { "seed": [1, 2] }, "options": { "preset": "tiny" },
      "set": { "steps": 3, "checkpoint_every": 1, "eval_sequences": 8, "held_out_fraction": 0.0001 } } ] }
    """;

    [Test]
    public void SlurmArrayGivesTheSameResultsAsALocalRun()
    {
        if (!OnPath("sbatch")) Assert.Ignore("sbatch is not on PATH; `scripts/slurm-local.sh up` installs and starts a single-node cluster");
        if (!NodeIdleOrMixed()) Assert.Ignore("sinfo shows no usable node; start the cluster with `scripts/slurm-local.sh up`");
        var root = Directory.CreateTempSubdirectory("probing-slurm-study-").FullName;
        var spec = Path.Combine(root, "spec.json");
        File.WriteAllText(spec, Spec);
        var local = Path.Combine(root, "local");
        var slurm = Path.Combine(root, "slurm");

        var (localCode, localError) = CliRunner.Run("--threads", "1", "run", spec, "--out", local, "--jobs", "1");
        Assert.That(localCode, Is.Zero, localError);
        var clock = Stopwatch.StartNew();
        var (slurmCode, slurmError) = CliRunner.Run("run", spec, "--out", slurm, "--backend", "slurm", "--cpus-per-task", "1", "--wait");
        TestContext.Out.WriteLine($"slurm study: exit {slurmCode} after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.That(slurmCode, Is.Zero, slurmError);

        foreach (var cell in new[] { "pretrain/seed-1", "pretrain/seed-2" })
        {
            Assert.That(File.Exists(Path.Combine(slurm, cell, "DONE")), Is.True, cell);
            Assert.That(Losses(Path.Combine(slurm, cell)), Is.EqualTo(Losses(Path.Combine(local, cell))), cell);
            Assert.That(File.ReadAllBytes(Path.Combine(slurm, cell, PretrainingPipeline.ModelSubfolder, "model.safetensors")),
                Is.EqualTo(File.ReadAllBytes(Path.Combine(local, cell, PretrainingPipeline.ModelSubfolder, "model.safetensors"))), cell);
            TestContext.Out.WriteLine($"{cell}: losses {string.Join(", ", Losses(Path.Combine(slurm, cell)))} identical to the local run; weights identical");
        }
        Assert.That(Losses(Path.Combine(slurm, "pretrain/seed-1")), Is.Not.EqualTo(Losses(Path.Combine(slurm, "pretrain/seed-2"))), "the seeds differ");
        Assert.That(CliRunner.Run("status", slurm).ExitCode, Is.Zero);
    }

    /// <summary>Step and loss of every logged step (elapsed times differ between runs by nature).</summary>
    static string[] Losses(string run) =>
        [.. File.ReadAllLines(Path.Combine(run, Pretrainer.LogFile)).Skip(1).Select(line => string.Join(',', line.Split(',').Take(2)))];

    static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, program)));

    static bool NodeIdleOrMixed()
    {
        var info = new ProcessStartInfo("sinfo", "-h -N -o %T") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        // With the controller down, sinfo retries for about 9 s before it fails.
        if (!process.WaitForExit(TimeSpan.FromSeconds(3)))
        {
            process.Kill();
            return false;
        }
        return process.ExitCode == 0 && output.Result.Split('\n').Any(state => state.Trim() is "idle" or "mixed" or "allocated");
    }
}
