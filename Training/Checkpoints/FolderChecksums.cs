using Probing.Training.Infrastructure;

namespace Probing.Training.Checkpoints;

/// <summary>
/// A <c>SHA256SUMS</c> file in <c>sha256sum</c>'s format beside a model's files. Where one exists,
/// loading verifies it, so a changed or damaged shipped base is refused instead of silently used;
/// training checkpoints always carry one. Check by hand with <c>sha256sum -c SHA256SUMS</c> inside the folder.
/// </summary>
public static class FolderChecksums
{
    public const string FileName = "SHA256SUMS";

    public static void Write(string directory, IEnumerable<string> files) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName),
            string.Concat(files.Select(file => $"{Hash(Path.Combine(directory, file))}  {file}\n")));

    public static void VerifyIfPresent(string directory)
    {
        if (!File.Exists(Path.Combine(directory, FileName))) return;
        if (Problem(directory) is { } problem) throw new InputError(problem);
    }

    /// <summary>
    /// What is wrong with the folder against its <c>SHA256SUMS</c> ("path: problem"), or null when every
    /// listed file is present with its recorded hash. A missing list is a problem too.
    /// </summary>
    public static string? Problem(string directory)
    {
        var list = Path.Combine(directory, FileName);
        if (!File.Exists(list)) return $"{list}: missing";
        foreach (var line in File.ReadAllLines(list).Where(l => l.Length > 0))
        {
            var parts = line.Split("  ", 2);
            if (parts.Length != 2 || parts[0].Length != 64) return $"{list}: malformed line '{line}'; expected '<sha256>  <file>'";
            var file = Path.Combine(directory, parts[1]);
            if (!File.Exists(file)) return $"{file}: listed in {FileName} but missing";
            if (!string.Equals(Hash(file), parts[0], StringComparison.OrdinalIgnoreCase))
                return $"{file}: SHA-256 differs from {FileName}: the file was changed or is damaged";
        }
        return null;
    }

    static string Hash(string path) => FileDigest.Sha256(path);
}
