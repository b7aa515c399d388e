using System.Security.Cryptography;
using Probing.Training.Infrastructure;

namespace Probing.Training.Checkpoints;

/// <summary>
/// A <c>SHA256SUMS</c> file in <c>sha256sum</c>'s format beside a model's files. Where one exists,
/// loading verifies it, so a changed or damaged shipped base is refused instead of silently used.
/// Check by hand with <c>sha256sum -c SHA256SUMS</c> inside the folder.
/// </summary>
public static class FolderChecksums
{
    public const string FileName = "SHA256SUMS";

    public static void Write(string directory, IEnumerable<string> files) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName),
            string.Concat(files.Select(file => $"{Hash(Path.Combine(directory, file))}  {file}\n")));

    public static void VerifyIfPresent(string directory)
    {
        var list = Path.Combine(directory, FileName);
        if (!File.Exists(list)) return;
        foreach (var line in File.ReadAllLines(list).Where(l => l.Length > 0))
        {
            var parts = line.Split("  ", 2);
            if (parts.Length != 2 || parts[0].Length != 64) throw InputError.InFile(list, $"malformed line '{line}'; expected '<sha256>  <file>'");
            var file = Path.Combine(directory, parts[1]);
            if (!File.Exists(file)) throw InputError.InFile(file, $"listed in {FileName} but missing");
            if (!string.Equals(Hash(file), parts[0], StringComparison.OrdinalIgnoreCase))
                throw InputError.InFile(file, $"SHA-256 differs from {FileName}: the file was changed or is damaged");
        }
    }

    static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
