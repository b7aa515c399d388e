using System.Text.Json.Serialization;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Training.Model;

namespace Probing.Probing.Protocols;

/// <summary>
/// What a probing pass measures. <see cref="TrainLimit"/> (null = all) subsamples each task's train
/// split per seed, the limited-data setting; <see cref="ValidationFraction"/> of the (subsampled)
/// train rows is held out for the probe to choose its regularization on, so dev and test stay unseen.
/// <see cref="Mdl"/> adds the online code length of the probe's train labels (and of the control labels)
/// to every row (the probe must be an <see cref="ILabelCoder"/>, as the linear probe is); left out of the
/// config when off, so configs without it read as before.
/// </summary>
public sealed record ProbeSettings(
    IReadOnlyList<string> Tasks,
    LayerSelection Layers,
    Pooling Pooling,
    string Probe,
    IReadOnlyList<int> Seeds,
    int? TrainLimit = null,
    int MaxLength = 128,
    bool Controls = true,
    double ValidationFraction = 0.2,
    string? GlueDir = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Mdl = false);

/// <summary>
/// A model to probe and its part in the comparison: "checkpoint", "base" (upper reference) or "random"
/// (lower). <see cref="Method"/> names the fine-tuning method that produced it (the references: their
/// role) and <see cref="Seed"/> the run seed that did (null where none did); both go into the rows.
/// </summary>
public sealed record ProbedModel(string Role, IFeatureSource Source, string Method = "", int? Seed = null)
{
    public const string CheckpointRole = "checkpoint";
    public const string BaseRole = "base";
    public const string RandomRole = "random";

    /// <summary>A reference (base or random): its method column is its role.</summary>
    public static ProbedModel Reference(string role, IFeatureSource source) => new(role, source, role);
}
