using CsvHelper;

namespace Probing.Probing.Protocols;

/// <summary>
/// One probe result: a (model, seed, task, layer, pooling, probe) cell. <see cref="Protocol"/>,
/// <see cref="Stage"/> and <see cref="StageIndex"/> place it inside a longer protocol (a degradation
/// chain's step, a retention cycle); see <see cref="ProbeStage"/>.
/// <see cref="Control"/> is the same probe's dev score on the control task and
/// <see cref="Selectivity"/> = Dev − Control (both empty where no control was run).
/// </summary>
[CsvRecord]
public partial record ProbeRow(
    string Protocol, string Stage, int StageIndex,
    string Model, string Role, string ModelHash,
    int Seed, string Task, int Layer, string Pooling, string Probe,
    string Metric, double Dev, double? Test, double? Control, double? Selectivity,
    int TrainExamples, int ValidationExamples, double Regularization);

/// <summary>Linear CKA between a reference model's features (the base) and another model's, on the same inputs.</summary>
[CsvRecord]
public partial record CkaRow(
    string Protocol, string Stage, int StageIndex,
    string Model, string Role, string Reference,
    string Task, string Split, int Layer, string Pooling, int Examples, double Cka);

/// <summary>Where in a protocol a probing pass sits, e.g. ("chain", "after qnli-proxy", 2).</summary>
public sealed record ProbeStage(string Protocol, string Name, int Index)
{
    public static readonly ProbeStage Generalization = new("generalization", "", 0);
}
