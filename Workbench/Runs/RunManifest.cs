using System.Reflection;

namespace Probing.Workbench.Runs;

/// <summary>
/// What produced a run: code version, package versions, seed, threads, device and timing. A run resumed
/// from a checkpoint lists the manifests of the processes before it in <see cref="EarlierSegments"/>
/// (oldest first), so a run trained in pieces by different builds or thread counts says so.
/// </summary>
public sealed record RunManifest(
    string Command, string CodeVersion, IReadOnlyDictionary<string, string> Packages,
    int Seed, int Threads, string Device, string Machine,
    DateTimeOffset Start, DateTimeOffset? End = null, double? WallSeconds = null,
    IReadOnlyList<RunManifest>? EarlierSegments = null)
{
    /// <summary>Every process that worked on the run, oldest first, this one last.</summary>
    public IReadOnlyList<RunManifest> Segments() => [.. EarlierSegments ?? [], this with { EarlierSegments = null }];

    /// <summary>The thread counts the run was trained with, in order, each change once: [1, 2] for a 1-thread run resumed on 2.</summary>
    public IReadOnlyList<int> ThreadHistory()
    {
        var segments = Segments();
        return [.. segments.Where((s, i) => i == 0 || s.Threads != segments[i - 1].Threads).Select(s => s.Threads)];
    }

    /// <summary>
    /// This manifest as the successor of <paramref name="previous"/>, the one already in the run's folder:
    /// the same process (same start) keeps the segments it found; a new process appends the previous one.
    /// </summary>
    public RunManifest After(RunManifest previous) => this with
    {
        EarlierSegments = previous.Start == Start ? previous.EarlierSegments : previous.Segments(),
    };

    public static RunManifest Begin(string command, int seed, string device) => new(
        command, CodeVersionOf(typeof(RunManifest).Assembly), PackageVersions(), seed, TorchSharp.torch.get_num_threads(), device,
        $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
        DateTimeOffset.UtcNow);

    public RunManifest Finish()
    {
        var end = DateTimeOffset.UtcNow;
        return this with { End = end, WallSeconds = Math.Round((end - Start).TotalSeconds, 3) };
    }

    static IReadOnlyDictionary<string, string> PackageVersions()
    {
        string VersionOf(Type type) =>
            InformationalVersion(type.Assembly)?.Split('+')[0] ?? type.Assembly.GetName().Version?.ToString() ?? "unknown";
        return new SortedDictionary<string, string>
        {
            ["dotnet"] = Environment.Version.ToString(),
            ["TorchSharp"] = VersionOf(typeof(TorchSharp.torch)),
            ["Microsoft.ML.Tokenizers"] = VersionOf(typeof(Microsoft.ML.Tokenizers.Tokenizer)),
        };
    }

    /// <summary>
    /// The git commit this binary was built from (12 hex digits, <c>-dirty</c> if tracked files had
    /// uncommitted changes; stamped by the build, Directory.Build.targets), or "unknown" outside git.
    /// </summary>
    public static string CodeVersionOf(Assembly assembly) =>
        CodeVersionOf(InformationalVersion(assembly) ?? "");

    /// <summary>A package's version, then <c>+</c> and the source revision it was built from (when its build stamped one).</summary>
    static string? InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    /// <summary>The code version in an informational version such as <c>1.0.0+&lt;commit&gt;[-dirty]</c>.</summary>
    public static string CodeVersionOf(string informational)
    {
        var plus = informational.IndexOf('+');
        if (plus < 0) return "unknown";
        var revision = informational[(plus + 1)..];
        var dirty = revision.EndsWith("-dirty", StringComparison.Ordinal);
        var commit = dirty ? revision[..^"-dirty".Length] : revision;
        return commit[..Math.Min(12, commit.Length)] + (dirty ? "-dirty" : "");
    }
}
