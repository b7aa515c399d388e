using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Runs;

/// <summary>
/// Files a run reads, by content: a folder (recorded for the reader, not compared) and the SHA-256 of
/// each file, by its path relative to that folder. A base model, the task files, a corpus.
/// </summary>
public sealed record InputFiles(string Path, IReadOnlyDictionary<string, string> Files)
{
    /// <summary>Hashes <paramref name="files"/> (relative to <paramref name="root"/>); a missing one is an error naming it.</summary>
    public static InputFiles Of(string root, IEnumerable<string> files)
    {
        var full = System.IO.Path.GetFullPath(root);
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files) hashes[file.Replace('\\', '/')] = FileDigest.Sha256Remembered(System.IO.Path.Combine(full, file));
        return new InputFiles(full, hashes);
    }
}

/// <summary>
/// Everything that determines a run's result, written as its <c>config.json</c>: the kind of run, its
/// fully resolved config record (any record: fine-tuning, pretraining, a protocol, …) and the content
/// of every input it reads (<see cref="InputFiles"/>: a base model, task files, a corpus). Seed and
/// hyper-parameters live in the config; the code version, threads and device go to the manifest beside it.
/// <para>
/// Two identities are the same run when kind, config and every input file's hash agree; where an
/// input lies is recorded but not compared, so a checkout moved elsewhere still resumes its runs.
/// <see cref="Hash"/> names an identity in a study's manifest.
/// </para>
/// </summary>
public sealed class RunIdentity
{
    /// <summary>The <c>config.json</c> keys: the record of a run identity.</summary>
    const string KindKey = "kind", ConfigKey = "config", InputsKey = "inputs", PathKey = "path", FilesKey = "files";

    readonly JsonObject document;
    readonly Lazy<string> hash;

    RunIdentity(JsonObject document)
    {
        this.document = document;
        hash = new Lazy<string>(ComputeHash);
    }

    /// <param name="kind">What sort of run: "finetune", "pretrain", "probe", a protocol's name.</param>
    /// <param name="config">The resolved config record, serialized with the workbench's JSON conventions.</param>
    /// <param name="inputs">Named inputs, e.g. "model" and "data".</param>
    public static RunIdentity Of<TConfig>(string kind, TConfig config, IReadOnlyDictionary<string, InputFiles> inputs)
    {
        var inputObject = new JsonObject();
        foreach (var (name, input) in inputs.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            var files = new JsonObject();
            foreach (var (file, hash) in input.Files.OrderBy(f => f.Key, StringComparer.Ordinal)) files[file] = hash;
            inputObject[name] = new JsonObject { [PathKey] = input.Path, [FilesKey] = files };
        }
        return new RunIdentity(new JsonObject
        {
            [KindKey] = kind,
            [ConfigKey] = JsonNode.Parse(Json.Serialize(config)),
            [InputsKey] = inputObject,
        });
    }

    public string Kind => document[KindKey]?.GetValue<string>() ?? "";

    /// <summary>The text written as <c>config.json</c>.</summary>
    public string ToJson() => document.ToJsonString(Json.Options) + "\n";

    /// <summary>The identity recorded in a run folder's <c>config.json</c>, or null if it holds none.</summary>
    public static RunIdentity? Read(string runFolder)
    {
        var path = System.IO.Path.Combine(runFolder, RunFolder.ConfigFile);
        if (!File.Exists(path)) return null;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException)
        {
            return new RunIdentity(new JsonObject { [KindKey] = "unreadable config.json" });
        }
        // A config.json from before run identities (a bare config record) never equals a current identity.
        return node is JsonObject o && o.ContainsKey(KindKey) && o.ContainsKey(ConfigKey) && o.ContainsKey(InputsKey)
            ? new RunIdentity(o)
            : new RunIdentity(new JsonObject { [KindKey] = "a config.json without a run identity (an older workbench)" });
    }

    /// <summary>SHA-256 of the compared part (kind, config, input hashes; not paths), in a canonical form.</summary>
    public string Hash => hash.Value;

    string ComputeHash()
    {
        var text = new StringBuilder();
        foreach (var (key, value) in Flatten()) text.Append(key).Append('=').Append(value).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public bool SameRunAs(RunIdentity other) => Hash == other.Hash;

    /// <summary>The compared keys whose values differ between <paramref name="recorded"/> and this identity, as "key (recorded → this)".</summary>
    public IReadOnlyList<string> DifferencesFrom(RunIdentity recorded)
    {
        var mine = Flatten();
        var theirs = recorded.Flatten();
        return [.. mine.Keys.Union(theirs.Keys).Order(StringComparer.Ordinal)
            .Where(key => mine.GetValueOrDefault(key) != theirs.GetValueOrDefault(key))
            .Select(key => $"{key} ({Short(theirs.GetValueOrDefault(key))} → {Short(mine.GetValueOrDefault(key))})")];
    }

    /// <summary>Every compared leaf as "a.b[2].c" → its JSON text, in key order; input paths are left out.</summary>
    SortedDictionary<string, string> Flatten()
    {
        var leaves = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string key)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (name, child) in o)
                    {
                        var childKey = key.Length == 0 ? name : $"{key}.{name}";
                        if (key.StartsWith(InputsKey + ".", StringComparison.Ordinal) && key.Count(c => c == '.') == 1 && name == PathKey) continue;
                        Walk(child, childKey);
                    }
                    if (o.Count == 0) leaves[key] = "{}";
                    break;
                case JsonArray a:
                    for (int i = 0; i < a.Count; i++) Walk(a[i], string.Create(CultureInfo.InvariantCulture, $"{key}[{i}]"));
                    if (a.Count == 0) leaves[key] = "[]";
                    break;
                default:
                    leaves[key] = node?.ToJsonString() ?? "null";
                    break;
            }
        }
        Walk(document, "");
        return leaves;
    }

    static string Short(string? value) => value is null ? "absent" : value.Length > 24 ? value[..21] + "…" : value;
}
