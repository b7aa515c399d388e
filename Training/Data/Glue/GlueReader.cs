using System.Globalization;
using Probing.Training.Infrastructure;

namespace Probing.Training.Data.Glue;

/// <summary>
/// Reads a GLUE task from the official folder layout <c>&lt;dir&gt;/&lt;TASK&gt;/{train,dev}.tsv</c>.
/// Files are tab-separated without quoting (a <c>"</c> is an ordinary character). Malformed
/// input is an <see cref="InputError"/> naming file and line: a missing folder or file, a wrong
/// header, a line with the wrong number of columns, an unknown label, a score that is not a
/// number, an empty split. The one tolerated defect is QQP's: its train file has lines with
/// missing fields, which the reference loaders skip; so do we, and count them.
/// </summary>
public static class GlueReader
{
    public sealed record Result(TaskData Data, IReadOnlyDictionary<string, int> SkippedLines);

    public static TaskData Load(GlueFormat format, string glueDir) => Read(format, glueDir).Data;

    /// <summary>What a GLUE folder holds: the tasks read, the task folders absent, and one "file:line: problem" per broken task.</summary>
    public sealed record Survey(IReadOnlyList<Result> Read, IReadOnlyList<GlueFormat> Absent, IReadOnlyList<(GlueFormat Format, string Problem)> Broken);

    /// <summary>
    /// Reads every GLUE task whose folder is present (people download the ones they use); a task
    /// whose files are broken is reported, and the others are still read.
    /// </summary>
    public static Survey ReadPresent(string glueDir)
    {
        if (!Directory.Exists(glueDir)) throw InputError.InFile(glueDir, "GLUE folder not found");
        var read = new List<Result>();
        var absent = new List<GlueFormat>();
        var broken = new List<(GlueFormat, string)>();
        foreach (var format in GlueTasks.All)
        {
            if (!Directory.Exists(Path.Combine(glueDir, format.Folder)))
            {
                absent.Add(format);
                continue;
            }
            try
            {
                read.Add(Read(format, glueDir));
            }
            catch (InputError error)
            {
                broken.Add((format, error.Message));
            }
        }
        return new Survey(read, absent, broken);
    }

    public static Result Read(GlueFormat format, string glueDir)
    {
        if (!Directory.Exists(glueDir)) throw InputError.InFile(glueDir, "GLUE folder not found");
        var taskDir = Path.Combine(glueDir, format.Folder);
        if (!Directory.Exists(taskDir)) throw InputError.InFile(taskDir, $"folder for GLUE task {format.Spec.Name} not found");
        var splits = new Dictionary<string, IReadOnlyList<Example>>();
        var skipped = new Dictionary<string, int>();
        foreach (var (split, file) in format.Files)
        {
            var path = Path.Combine(taskDir, file);
            var (examples, skippedLines) = ReadSplit(format, path);
            splits[split] = examples;
            skipped[split] = skippedLines;
        }
        return new Result(new TaskData(format.Spec, splits), skipped);
    }

    static (IReadOnlyList<Example>, int) ReadSplit(GlueFormat format, string path)
    {
        var examples = new List<Example>();
        var skipped = 0;
        IReadOnlyList<string>? header = null;
        var lineNumber = 0;
        foreach (var line in TextFiles.ReadLines(path))
        {
            lineNumber++;
            var fields = line.Split('\t');
            if (format.Header != null && lineNumber == 1)
            {
                header = CheckHeader(format, path, fields);
                continue;
            }
            if (line.Length == 0) throw InputError.AtLine(path, lineNumber, "empty line");
            var columns = format.ColumnsFor(header);
            if (fields.Length != columns)
            {
                if (format.SkipsIncompleteLines && fields.Length < columns) { skipped++; continue; }
                throw InputError.AtLine(path, lineNumber, $"expected {columns} tab-separated columns, found {fields.Length}");
            }
            examples.Add(ToExample(format, path, lineNumber, fields));
        }
        if (lineNumber == 0) throw InputError.InFile(path, "empty file");
        if (examples.Count == 0) throw InputError.InFile(path, "no examples");
        return (examples, skipped);
    }

    static IReadOnlyList<string> CheckHeader(GlueFormat format, string path, string[] fields)
    {
        var expected = format.Header!;
        var matches = format.Spec.Name.StartsWith("mnli", StringComparison.Ordinal)
            ? fields.Length > expected.Count && fields.Take(expected.Count).SequenceEqual(expected) && fields[^1] == "gold_label"
            : fields.SequenceEqual(expected);
        if (!matches)
            throw InputError.AtLine(path, 1, $"expected the {format.Folder} header '{string.Join("\\t", expected)}{(format.Spec.Name.StartsWith("mnli", StringComparison.Ordinal) ? "\\t...\\tgold_label" : "")}', found '{string.Join("\\t", fields)}'");
        return fields;
    }

    static Example ToExample(GlueFormat format, string path, int lineNumber, string[] fields)
    {
        var text1 = fields[format.Resolve(format.Text1Column, fields.Length)];
        var text2 = format.Text2Column is int column ? fields[format.Resolve(column, fields.Length)] : null;
        var label = fields[format.Resolve(format.LabelColumn, fields.Length)];
        if (format.Spec.IsRegression)
        {
            if (!double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !double.IsFinite(score))
                throw InputError.AtLine(path, lineNumber, $"score '{label}' is not a number");
            return Example.Scored(text1, text2, score);
        }
        var index = format.Spec.LabelIndex(label);
        if (index < 0)
            throw InputError.AtLine(path, lineNumber, $"unknown label '{label}' (expected {string.Join(", ", format.Spec.Labels)})");
        return Example.Classified(text1, text2, index);
    }
}
