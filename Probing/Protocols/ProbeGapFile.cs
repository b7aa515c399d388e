using Probing.Probing.Features;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;

namespace Probing.Probing.Protocols;

/// <summary>
/// The base − random gaps of one base, saved beside its weights as <c>probe_gaps.csv</c> (written by
/// <c>workbench tasks gaps</c>). Rows carry the base's content hash, so gaps measured on another base
/// are never read as this one's.
/// </summary>
public static class ProbeGapFile
{
    public const string FileName = "probe_gaps.csv";

    public static string PathIn(string modelDirectory) => Path.Combine(modelDirectory, FileName);

    /// <summary>The gaps saved beside <paramref name="model"/>, or null when none were measured on exactly these weights.</summary>
    public static IReadOnlyList<GapRow>? TryRead(ModelFolder model)
    {
        var path = PathIn(model.Path);
        if (!File.Exists(path)) return null;
        var rows = CsvTable.Read<GapRow>(path);
        var hash = CheckpointHash.Of(model)[..12];
        return rows.Count > 0 && rows.All(r => r.BaseHash == hash) ? rows : null;
    }

    /// <summary>
    /// Tasks whose base beats random features by less than <see cref="GapSummary.DiscriminatingGap"/>
    /// in every measured probe setting (empty when nothing was measured).
    /// </summary>
    public static IReadOnlySet<string> NonDiscriminating(IReadOnlyList<GapRow>? rows) => rows is null
        ? new HashSet<string>()
        : GapSummary.Of(rows).GroupBy(s => s.Task).Where(g => g.All(s => !s.Discriminates)).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
}
