using CsvHelper;
using Probing.Probing.Probes;

namespace Probing.Probing.Protocols;

/// <summary>
/// One probe result: a (method, seed, stage, model, task, layer, pooling, probe) cell.
/// <see cref="Method"/> is the fine-tuning method that produced the probed encoder; the references
/// carry their role instead (<c>base</c>, <c>random</c>), and a single checkpoint probed outside a
/// protocol carries the method in its <c>head.json</c> (or "" when it has none). <see cref="Seed"/>
/// is the probe's seed (train subsample, initialisation); inside the protocols it is the run seed,
/// which also seeded the fine-tuning. <see cref="Protocol"/>, <see cref="Stage"/> (the task
/// fine-tuned at that stage, "base" before any) and <see cref="StageIndex"/> place the row inside a
/// longer protocol; see <see cref="ProbeStage"/>.
/// <see cref="Control"/> is the same probe's dev score on the control task and
/// <see cref="Selectivity"/> = Dev − Control (both empty where no control was run).
/// With the MDL measure (<see cref="ProbeSettings.Mdl"/>), <see cref="OnlineBits"/> is the online code
/// length of the probe's train labels and <see cref="UniformBits"/> = n·log₂K, in bits;
/// <see cref="Compression"/> = uniform / online, and <see cref="ControlCompression"/> the same on the
/// control labels (all empty without MDL; see <see cref="OnlineCode"/>).
/// </summary>
[CsvRecord]
public partial record ProbeRow(
    string Protocol, string Method, string Stage, int StageIndex,
    string Model, string Role, string ModelHash,
    int Seed, string Task, int Layer, string Pooling, string Probe,
    string Metric, double Dev, double? Test, double? Control, double? Selectivity,
    int TrainExamples, int ValidationExamples, double Regularization,
    double? OnlineBits = null, double? UniformBits = null, double? Compression = null, double? ControlCompression = null);

/// <summary>
/// Linear CKA between a reference model's features (the base) and another model's, on the same inputs.
/// <see cref="Method"/> as in <see cref="ProbeRow"/>; <see cref="Seed"/> is the run seed of a
/// fine-tuned model and empty for models no seed produced (the random reference, a lone checkpoint).
/// </summary>
[CsvRecord]
public partial record CkaRow(
    string Protocol, string Method, int? Seed, string Stage, int StageIndex,
    string Model, string Role, string Reference,
    string Task, string Split, int Layer, string Pooling, int Examples, double Cka);

/// <summary>
/// One fine-tuning stage of a protocol: <see cref="Stage"/> is the task fine-tuned at
/// <see cref="StageIndex"/> (1-based; stage 0, the base, fine-tunes nothing and has no row),
/// <see cref="Dev"/> the stage's own best dev score on it (<see cref="Metric"/>, the task's primary
/// metric), <see cref="TrainSeconds"/> and <see cref="Steps"/> its training time and optimizer steps.
/// </summary>
[CsvRecord]
public partial record StageRow(
    string Protocol, string Method, int Seed, int StageIndex, string Stage,
    string Metric, double Dev, double TrainSeconds, int Steps);

/// <summary>Where in a protocol a probing pass sits, e.g. ("chain", "qnli-proxy", 2).</summary>
public sealed record ProbeStage(string Protocol, string Name, int Index)
{
    public static readonly ProbeStage Generalization = new("generalization", "", 0);
}
