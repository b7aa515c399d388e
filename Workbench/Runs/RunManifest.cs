using System.Diagnostics;
using System.Reflection;

namespace Probing.Workbench.Runs;

/// <summary>What produced a run: code version, package versions, seed, threads, device and timing.</summary>
public sealed record RunManifest(
    string Command, string CodeVersion, IReadOnlyDictionary<string, string> Packages,
    int Seed, int Threads, string Device, string Machine,
    DateTimeOffset Start, DateTimeOffset? End = null, double? WallSeconds = null)
{
    public static RunManifest Begin(string command, int seed, string device) => new(
        command, GitVersion(), PackageVersions(), seed, TorchSharp.torch.get_num_threads(), device,
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
            type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? type.Assembly.GetName().Version?.ToString() ?? "unknown";
        return new SortedDictionary<string, string>
        {
            ["dotnet"] = Environment.Version.ToString(),
            ["TorchSharp"] = VersionOf(typeof(TorchSharp.torch)),
            ["Microsoft.ML.Tokenizers"] = VersionOf(typeof(Microsoft.ML.Tokenizers.Tokenizer)),
        };
    }

    /// <summary>The git commit of the working tree (with <c>-dirty</c> if it has changes), or "unknown" outside git.</summary>
    static string GitVersion()
    {
        static string? Git(string arguments)
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo("git", arguments)
                {
                    RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                    WorkingDirectory = AppContext.BaseDirectory,
                });
                if (process is null) return null;
                var output = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                return process.ExitCode == 0 ? output : null;
            }
            catch (System.ComponentModel.Win32Exception) { return null; }
        }
        var commit = Git("rev-parse --short=12 HEAD");
        if (commit is null) return "unknown";
        return Git("status --porcelain --untracked-files=no") is { Length: > 0 } ? commit + "-dirty" : commit;
    }
}
