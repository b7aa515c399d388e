using System.Reflection;

namespace Probing.Workbench.Runs;

/// <summary>What produced a run: code version, package versions, seed, threads, device and timing.</summary>
public sealed record RunManifest(
    string Command, string CodeVersion, IReadOnlyDictionary<string, string> Packages,
    int Seed, int Threads, string Device, string Machine,
    DateTimeOffset Start, DateTimeOffset? End = null, double? WallSeconds = null)
{
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
