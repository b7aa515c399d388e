namespace Probing.Training.Infrastructure;

/// <summary>Writes files through a temporary sibling and a rename, so a kill never leaves half a file.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string contents) => Write(path, temp => File.WriteAllText(temp, contents));

    public static void Write(string path, Action<string> writeTemp)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp-" + Environment.ProcessId;
        try
        {
            writeTemp(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
