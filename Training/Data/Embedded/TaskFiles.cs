using System.IO.Compression;
using System.Text;
using Probing.Training.Infrastructure;

namespace Probing.Training.Data.Embedded;

/// <summary>
/// Reads and writes an embedded task's folder: <c>{train,dev,test}.tsv.gz</c> with a header
/// (<c>label\ttext</c> or <c>label\ttext1\ttext2</c>), labels written by name, plus an optional
/// <c>held_out_extra.txt.gz</c>. Written gzip is deterministic (.NET writes no timestamp or file
/// name into the header), so a rebuild gives identical bytes.
/// </summary>
public static class TaskFiles
{
    public const string ExtraHeldOutFile = "held_out_extra.txt.gz";

    public static string SplitFile(string taskDir, string split) => Path.Combine(taskDir, split + ".tsv.gz");

    public static void Write(string taskDir, TaskSpec spec, BuiltTask task)
    {
        foreach (var (split, examples) in task.Splits)
        {
            var text = new StringBuilder(spec.IsPair ? "label\ttext1\ttext2\n" : "label\ttext\n");
            foreach (var e in examples)
            {
                text.Append(spec.Labels[e.Label]).Append('\t').Append(Field(e.Text1));
                if (spec.IsPair) text.Append('\t').Append(Field(e.Text2!));
                text.Append('\n');
            }
            WriteGzip(SplitFile(taskDir, split), text.ToString());
        }
        var extra = Path.Combine(taskDir, ExtraHeldOutFile);
        if (task.ExtraHeldOut.Count > 0) WriteGzip(extra, string.Concat(task.ExtraHeldOut.Select(t => Field(t) + "\n")));
        else if (File.Exists(extra)) File.Delete(extra);
    }

    public static TaskData Read(string taskDir, TaskSpec spec)
    {
        if (!Directory.Exists(taskDir)) throw InputError.InFile(taskDir, $"task folder not found (run `workbench tasks build`)");
        var splits = SplitAssignment.Names.ToDictionary(s => s, s => ReadSplit(SplitFile(taskDir, s), spec));
        return new TaskData(spec, splits);
    }

    public static IEnumerable<string> ReadExtraHeldOut(string taskDir)
    {
        var path = Path.Combine(taskDir, ExtraHeldOutFile);
        return File.Exists(path) ? TextFiles.ReadLines(path) : [];
    }

    static IReadOnlyList<Example> ReadSplit(string path, TaskSpec spec)
    {
        var columns = spec.IsPair ? 3 : 2;
        var examples = new List<Example>();
        var lineNumber = 0;
        foreach (var line in TextFiles.ReadLines(path))
        {
            lineNumber++;
            var fields = line.Split('\t');
            if (fields.Length != columns) throw InputError.AtLine(path, lineNumber, $"expected {columns} tab-separated columns, found {fields.Length}");
            if (lineNumber == 1) continue;
            var label = spec.LabelIndex(fields[0]);
            if (label < 0) throw InputError.AtLine(path, lineNumber, $"unknown label '{fields[0]}' (expected {string.Join(", ", spec.Labels)})");
            examples.Add(Example.Classified(fields[1], spec.IsPair ? fields[2] : null, label));
        }
        if (examples.Count == 0) throw InputError.InFile(path, "no examples");
        return examples;
    }

    static string Field(string text) =>
        text.Length > 0 && text.IndexOfAny(['\t', '\n', '\r']) < 0 ? text : throw new ArgumentException($"text unfit for a TSV field: '{text}'");

    static void WriteGzip(string path, string contents) => AtomicFile.Write(path, temp =>
    {
        using var file = File.Create(temp);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
        gzip.Write(new UTF8Encoding(false).GetBytes(contents));
    });
}
