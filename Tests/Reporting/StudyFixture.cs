using System.Globalization;
using Probing.Probing.Protocols;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using Probing.Workbench.Runs;

namespace Probing.Tests.Reporting;

/// <summary>Hand-written study folders (the files real runs write, with chosen numbers) for report tests.</summary>
sealed class StudyFixture
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("probing-study-").FullName;

    /// <summary>
    /// A finished <c>finetune</c> run with its best dev score and wall time, in the spec group <paramref name="group"/>;
    /// <paramref name="config"/> is the JSON of its config.json's <c>config</c> object (none by default);
    /// <paramref name="otherScores"/> more best_scores entries (<c>, "rouge1": 0.3</c>).
    /// </summary>
    public StudyFixture FineTune(string method, int seed, double dev, double wall = 6, string task = "fine-foods", string group = "finetune", string? config = null, string metric = "accuracy", string otherScores = "")
    {
        var run = Path.Combine(Directory, group, $"method-{method}_seed-{seed}");
        System.IO.Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, RunFolder.ConfigFile), config is null ? "{}\n" : $"{{\"kind\": \"finetune\", \"config\": {config}}}\n");
        File.WriteAllText(Path.Combine(run, RunFolder.ManifestFile), "{\"command\": \"finetune\", \"code_version\": \"0123456789ab\"}");
        File.WriteAllText(Path.Combine(run, RunFolder.MetricsFile), string.Create(CultureInfo.InvariantCulture,
            $"{{\"task\": \"{task}\", \"method\": \"{method}\", \"seed\": {seed}, \"metric\": \"{metric}\", \"best_dev\": {dev}, \"best_step\": 10, \"best_scores\": {{\"{metric}\": {dev}{otherScores}}}, \"last_scores\": {{\"{metric}\": {dev}}}, \"steps\": 10, \"train_seconds\": {wall - 1}, \"wall_seconds\": {wall}}}"));
        File.WriteAllText(Path.Combine(run, RunFolder.DoneFile), "done\n");
        return this;
    }

    /// <summary>
    /// A finished protocol run folder holding the given probes.csv and stages.csv rows; <paramref name="config"/>
    /// is the JSON of its config.json's <c>config</c> object (none by default).
    /// </summary>
    public StudyFixture Protocol(string name, string command, IEnumerable<ProbeRow> probes, IEnumerable<StageRow> stages, string? config = null)
    {
        var run = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, RunFolder.ConfigFile), config is null ? "{}\n" : $"{{\"kind\": \"{command}\", \"config\": {config}}}\n");
        File.WriteAllText(Path.Combine(run, RunFolder.ManifestFile), $"{{\"command\": \"{command}\", \"code_version\": \"fedcba987654\"}}");
        CsvTable.Write(Path.Combine(run, ProbeRun.ProbesFile), probes);
        CsvTable.Write(Path.Combine(run, ProtocolRun.StagesFile), stages);
        File.WriteAllText(Path.Combine(run, RunFolder.DoneFile), "done\n");
        return this;
    }

    public static ProbeRow Probe(string protocol, string method, string role, int stageIndex, string stage, int seed, string task, double dev,
        int layer = 2, string probe = "linear", string pooling = "mean") =>
        new(protocol, method, stage, stageIndex, role == "checkpoint" ? $"{method}-seed{seed}/stage-{stageIndex:00}-{stage}" : role, role, "0123456789ab",
            seed, task, layer, pooling, probe, "accuracy", dev, null, null, null, 256, 64, 1.0);

    public static StageRow Stage(string protocol, string method, int seed, int index, string task, double dev) =>
        new(protocol, method, seed, index, task, "accuracy", dev, 10, 50);
}
