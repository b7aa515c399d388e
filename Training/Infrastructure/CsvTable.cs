using System.Text;
using CsvHelper;

namespace Probing.Training.Infrastructure;

/// <summary>
/// CSV files of <c>[CsvRecord]</c> rows, written atomically so a reader never sees half a table.
/// Every file the workbench writes has snake_case headers (<c>stage_index</c> for <c>StageIndex</c>),
/// the one convention of all its tables; reading matches a column with or without underscores and in
/// any case, so files written with the earlier PascalCase headers still read.
/// </summary>
public static class CsvTable
{
    static readonly CsvReaderOptions ReaderOptions = CsvReaderOptions.Default with { NormalizeHeaderName = name => name.Replace("_", "") };
    static readonly CsvWriterOptions WriterOptions = CsvWriterOptions.Default with { HasHeader = false };

    public static void Write<T>(string path, IEnumerable<T> rows) => AtomicFile.Write(path, temp =>
    {
        using var writer = CsvWriter.ToFile(temp, WriterOptions);
        writer.WriteHeader(Header<T>.Names);
        writer.WriteRecords(rows);
    });

    public static List<T> Read<T>(string path)
    {
        if (!File.Exists(path)) throw InputError.InFile(path, "file not found");
        try
        {
            using var reader = CsvReader.FromFile(path, ReaderOptions);
            return [.. reader.GetRecords<T>()];
        }
        catch (Exception e) when (e is FormatException or CsvHelper.CsvFormatException or IndexOutOfRangeException or InvalidOperationException or KeyNotFoundException)
        {
            throw InputError.InFile(path, $"malformed CSV ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>The header a table of <typeparamref name="T"/> gets: the generated column names in snake_case.</summary>
    public static IReadOnlyList<string> HeaderOf<T>() => Header<T>.Names;

    /// <summary>"StageIndex" → "stage_index", "TrainSeconds" → "train_seconds", "CiLow" → "ci_low"; "Cka" stays "cka".</summary>
    public static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var wordStart = char.IsUpper(c) && i > 0
                && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
            if (wordStart && text[^1] != '_') text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    /// <summary>The generated writer's column names (written once to memory), converted once per record type.</summary>
    static class Header<T>
    {
        public static readonly string[] Names = Create();

        static string[] Create()
        {
            using var text = new StringWriter();
            using (var writer = CsvWriter.Create(text, CsvWriterOptions.Default, leaveOpen: true))
                writer.WriteHeader<T>();
            using var reader = CsvReader.FromText(text.ToString(), CsvReaderOptions.Default with { HasHeader = false });
            if (!reader.Read()) throw new InvalidOperationException($"{typeof(T).Name}: the CSV writer wrote no header");
            return [.. Enumerable.Range(0, reader.FieldCount).Select(i => SnakeCase(reader.GetString(i)))];
        }
    }
}
