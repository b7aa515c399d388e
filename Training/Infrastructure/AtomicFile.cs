using System.Text.RegularExpressions;

namespace Probing.Training.Infrastructure;

/// <summary>
/// Writes files through a temporary sibling (<c>name.tmp-&lt;pid&gt;</c>), flushed to disk, and a rename,
/// so a kill or a power cut never leaves half a file under the real name. A temporary file left by a
/// killed writer is removed by <see cref="RemoveLeftovers"/> when the next writer takes over.
/// </summary>
public static partial class AtomicFile
{
    public static void WriteAllText(string path, string contents) => Write(path, temp => File.WriteAllText(temp, contents));

    public static void Write(string path, Action<string> writeTemp)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = TempName(path);
        try
        {
            writeTemp(temp);
            FlushToDisk(temp);
            File.Move(temp, path, overwrite: true);
            Posix.FsyncDirectory(directory);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The temporary name this process writes <paramref name="path"/> under.</summary>
    public static string TempName(string path) => path + ".tmp-" + Environment.ProcessId;

    /// <summary>Forces a written file's bytes to disk before it is renamed into place.</summary>
    public static void FlushToDisk(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The file a temporary name stands for (<c>x.json.tmp-12</c> → <c>x.json</c>); any other path as it is.</summary>
    public static string Destination(string path) => LeftoverName().Replace(path, "");

    /// <summary>Whether a file or folder name is a temporary of an unfinished write (this class's or a checkpoint's).</summary>
    public static bool IsLeftover(string name) => LeftoverName().IsMatch(name);

    /// <summary>
    /// Deletes every temporary file and folder under <paramref name="directory"/> (recursively). Call it
    /// only while holding the folder's lock: then no live writer owns them.
    /// </summary>
    public static int RemoveLeftovers(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        var removed = 0;
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (IsLeftover(entry.Name))
            {
                if (entry is DirectoryInfo folder) folder.Delete(recursive: true);
                else entry.Delete();
                removed++;
            }
            else if (entry is DirectoryInfo folder && (entry.Attributes & FileAttributes.ReparsePoint) == 0)
            {
                removed += RemoveLeftovers(folder.FullName);
            }
        }
        return removed;
    }

    [GeneratedRegex(@"\.tmp-\d+(-[a-z]+)?$")]
    private static partial Regex LeftoverName();
}
