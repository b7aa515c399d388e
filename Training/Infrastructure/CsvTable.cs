using CsvHelper;

namespace Probing.Training.Infrastructure;

/// <summary>CSV files of <c>[CsvRecord]</c> rows, written atomically so a reader never sees half a table.</summary>
public static class CsvTable
{
    public static void Write<T>(string path, IEnumerable<T> rows) => AtomicFile.Write(path, temp =>
    {
        using var writer = CsvWriter.ToFile(temp);
        writer.WriteRecords(rows);
    });

    public static List<T> Read<T>(string path)
    {
        if (!File.Exists(path)) throw InputError.InFile(path, "file not found");
        try
        {
            using var reader = CsvReader.FromFile(path);
            return [.. reader.GetRecords<T>()];
        }
        catch (Exception e) when (e is FormatException or CsvHelper.CsvFormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            throw InputError.InFile(path, $"malformed CSV ({e.Message.Split('\n')[0]})");
        }
    }
}
