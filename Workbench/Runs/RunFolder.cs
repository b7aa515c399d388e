using Probing.Training.Infrastructure;

namespace Probing.Workbench.Runs;

/// <summary>
/// A run's folder: <c>config.json</c> (fully resolved), <c>manifest.json</c>, its own outputs, and a
/// <c>DONE</c> marker written last. A finished run is never overwritten; an unfinished one is resumed
/// only with the same config.
/// </summary>
public sealed class RunFolder
{
    public const string ConfigFile = "config.json";
    public const string ManifestFile = "manifest.json";
    public const string MetricsFile = "metrics.json";
    public const string DoneFile = "DONE";

    RunFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }
    public bool IsDone => System.IO.File.Exists(File(DoneFile));
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public static bool IsFinished(string path) => System.IO.File.Exists(System.IO.Path.Combine(path, DoneFile));

    /// <summary>A finished run reused as a result (e.g. a scaling cell) must be of exactly this config.</summary>
    public static void RequireConfig<TConfig>(string path, TConfig config)
    {
        var configPath = System.IO.Path.Combine(path, ConfigFile);
        if (!System.IO.File.Exists(configPath) || System.IO.File.ReadAllText(configPath) != Json.Serialize(config) + "\n")
            throw new InputError($"{configPath}: this run was made with another config than the one asked for; move the folder away or choose another --out");
    }

    /// <summary>Creates the folder, or reopens an unfinished run of the same config to resume it.</summary>
    public static RunFolder Start<TConfig>(string path, TConfig config)
    {
        var run = new RunFolder(path);
        if (run.IsDone)
            throw new InputError($"{run.Path}: already holds a finished run (DONE exists); choose another --out or delete the folder");
        var configJson = Json.Serialize(config) + "\n";
        var configPath = run.File(ConfigFile);
        if (System.IO.File.Exists(configPath))
        {
            if (System.IO.File.ReadAllText(configPath) != configJson)
                throw new InputError($"{configPath}: an unfinished run with a different config is here; resume it with the same settings or choose another --out");
        }
        else if (Directory.Exists(run.Path) && Directory.EnumerateFileSystemEntries(run.Path).Any())
        {
            throw new InputError($"{run.Path}: folder is not empty and holds no run config; choose another --out");
        }
        else
        {
            AtomicFile.WriteAllText(configPath, configJson);
        }
        return run;
    }

    /// <summary>Writes the manifest, keeping the earlier processes of a resumed run (<see cref="RunManifest.EarlierSegments"/>).</summary>
    public void WriteManifest(RunManifest manifest)
    {
        var path = File(ManifestFile);
        Json.Write(path, System.IO.File.Exists(path) ? manifest.After(Json.Read<RunManifest>(path)) : manifest);
    }

    public void WriteMetrics<T>(T metrics) => Json.Write(File(MetricsFile), metrics);
    public void MarkDone() => AtomicFile.WriteAllText(File(DoneFile), DateTimeOffset.UtcNow.ToString("O") + "\n");
}
