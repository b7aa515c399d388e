using System.Text.Json;
using Probing.Training.Infrastructure;

namespace Probing.Training.Data.Summarization;

/// <summary>
/// Reads a folder of JSON Lines files, one object per line with a document and a summary field
/// (names from <see cref="SummaryFields"/>): <c>train.jsonl</c>, the dev split as
/// <c>valid.jsonl</c>, <c>validation.jsonl</c> (the Hugging Face hub's name) or <c>dev.jsonl</c>,
/// and optionally <c>test.jsonl</c>. A field holds a string, or an array of strings (sentences),
/// joined with '\n' as ROUGE-Lsum expects. Other fields are ignored. Anything else — a line that
/// is not a JSON object, a missing, empty or non-text field, an empty line, invalid UTF-8, a
/// missing split — is a one-line <see cref="InputError"/> naming file and line.
/// </summary>
public static class JsonlSummaries
{
    public const string Extension = ".jsonl";
    public static readonly string[] DevNames = ["valid", "validation", "dev"];

    public static bool IsLayoutOf(string folder) =>
        new[] { "train", "test" }.Concat(DevNames).Any(s => File.Exists(Path.Combine(folder, s + Extension)));

    public static SummarizationTask Read(string folder, SummaryFields? fields = null, string? name = null)
    {
        if (!Directory.Exists(folder)) throw InputError.InFile(folder, "summarization folder not found");
        fields ??= SummaryFields.Default;
        var train = Path.Combine(folder, "train" + Extension);
        if (!File.Exists(train)) throw InputError.InFile(train, "file not found (a JSONL summarization folder holds train.jsonl, valid.jsonl and optionally test.jsonl)");
        var devFiles = DevNames.Select(n => Path.Combine(folder, n + Extension)).Where(File.Exists).ToList();
        if (devFiles.Count == 0) throw InputError.InFile(folder, $"no dev split: expected one of {string.Join(", ", DevNames.Select(n => n + Extension))}");
        if (devFiles.Count > 1) throw InputError.InFile(folder, $"more than one dev split ({string.Join(", ", devFiles.Select(Path.GetFileName))}): keep one");
        var test = Path.Combine(folder, "test" + Extension);
        return new SummarizationTask(name ?? SummarizationCatalog.FolderName(folder),
            ReadFile(train, fields), ReadFile(devFiles[0], fields), File.Exists(test) ? ReadFile(test, fields) : null);
    }

    public static IReadOnlyList<SummaryExample> ReadFile(string path, SummaryFields fields)
    {
        var examples = new List<SummaryExample>();
        var lineNumber = 0;
        foreach (var line in TextFiles.ReadLines(path))
        {
            lineNumber++;
            if (line.Trim().Length == 0) throw InputError.AtLine(path, lineNumber, "empty line (every line is one JSON object)");
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw InputError.AtLine(path, lineNumber, $"not valid JSON ({e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]})");
            }
            if (root.ValueKind != JsonValueKind.Object)
                throw InputError.AtLine(path, lineNumber, $"expected a JSON object, found {Kind(root)}");
            examples.Add(new SummaryExample(
                Field(root, fields.Document, "document", path, lineNumber),
                Field(root, fields.Summary, "summary", path, lineNumber)));
        }
        if (examples.Count == 0) throw InputError.InFile(path, "no examples");
        return examples;
    }

    static string Field(JsonElement root, string field, string role, string path, int lineNumber)
    {
        if (!root.TryGetProperty(field, out var value))
        {
            var present = root.EnumerateObject().Select(p => p.Name).ToList();
            throw InputError.AtLine(path, lineNumber,
                $"no {role} field '{field}' (this line has {(present.Count == 0 ? "no fields" : string.Join(", ", present))}; the field names are configurable)");
        }
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Trim(),
            JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                string.Join("\n", value.EnumerateArray().Select(e => e.GetString()!.Trim()).Where(s => s.Length > 0)),
            JsonValueKind.Array => throw InputError.AtLine(path, lineNumber, $"{role} field '{field}' is an array with non-string items; expected a string or an array of strings"),
            _ => throw InputError.AtLine(path, lineNumber, $"{role} field '{field}' is {Kind(value)}; expected a string or an array of strings"),
        };
        if (text.Length == 0) throw InputError.AtLine(path, lineNumber, $"{role} field '{field}' is empty");
        return text;
    }

    static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => value.ValueKind.ToString(),
    };
}
