namespace Probing.Workbench.Reporting;

/// <summary>The scale a measured value lives on; scores are stored as fractions and shown in points.</summary>
public enum ValueUnit { Score, Seconds, Similarity }

/// <summary>
/// Where a quantity was measured: every column that can vary within a study. Two probes, two poolings
/// or two metrics make two keys, so their values are never averaged into one number.
/// <see cref="Quantity"/> names what a section measures (e.g. <c>probe-mean-over-tasks</c>), a stable id
/// that paper claims refer to.
/// </summary>
public sealed record MeasurementKey(string Section, string Quantity, string Probe = "", string Pooling = "", int? Layer = null, string Metric = "", string Task = "")
{
    /// <summary>"linear probe, mean pooling, layer 2, accuracy" — the keys that are set, for captions and claims.</summary>
    public string Describe() => string.Join(", ", new[]
    {
        Probe.Length > 0 ? $"{Probe} probe" : "", Pooling.Length > 0 ? $"{Pooling} pooling" : "",
        Layer is { } layer ? FormattableString.Invariant($"layer {layer}") : "", Task.Length > 0 ? Task : "", Metric,
    }.Where(s => s.Length > 0));
}

/// <summary>One seed's value of a series and the runs it rests on that did not learn their task (none when all did).</summary>
public sealed record SeedValue(double Value, IReadOnlyList<RunRow> NotLearned)
{
    public SeedValue(double value) : this(value, []) { }

    public bool Learned => NotLearned.Count == 0;
}

/// <summary>
/// One quantity measured per seed for every series of a study (the methods and, where measured, the
/// base): what claims compare. <see cref="Description"/> is the evidence as a reader should see it
/// ("mean probe dev accuracy over 3 other tasks").
/// </summary>
public sealed record Measurement(
    MeasurementKey Key, string Description, ValueUnit Unit,
    IReadOnlyDictionary<string, IReadOnlyDictionary<int, SeedValue>> Series, IReadOnlyList<EffectTest> Tests)
{
    public Measurement(MeasurementKey key, string description, ValueUnit unit, IReadOnlyDictionary<string, IReadOnlyDictionary<int, SeedValue>> series)
        : this(key, description, unit, series, [EffectTest.PairedDifference]) { }
}
