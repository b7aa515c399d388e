namespace Probing.Training.Infrastructure;

/// <summary>Finds the repository's <c>data/</c> folder from any working directory or build output.</summary>
public static class ProjectPaths
{
    /// <summary>Overrides the search, e.g. for an installed copy of the workbench.</summary>
    public const string DataDirVariable = "PROBING_DATA";

    static readonly Lazy<string> data = new(FindDataDir);

    public static string DataDir => data.Value;

    public static string Data(params string[] parts) => Path.Combine([DataDir, .. parts]);

    static string FindDataDir()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(DataDirVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
            return Directory.Exists(fromEnvironment) ? Path.GetFullPath(fromEnvironment)
                : throw new InputError($"{DataDirVariable}={fromEnvironment}: folder does not exist");
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "data", "PROVENANCE.md")))
                    return Path.Combine(dir.FullName, "data");
        }
        throw new InputError($"cannot find the workbench's data/ folder above {Directory.GetCurrentDirectory()}; set {DataDirVariable}");
    }
}
