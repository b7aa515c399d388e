using System.Text.Json;
using System.Text.Json.Nodes;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Experiments;

/// <summary>
/// Applies <c>--set a.b=c</c> overrides to a typed config by way of its JSON form, so every key a
/// config file accepts can be overridden and an unknown key is an error naming it.
/// </summary>
public static class ConfigOverrides
{
    public static T Apply<T>(T config, IEnumerable<string> assignments)
    {
        var root = JsonNode.Parse(Json.Serialize(config))!.AsObject();
        foreach (var assignment in assignments)
        {
            var equals = assignment.IndexOf('=');
            if (equals <= 0) throw new InputError($"--set {assignment}: expected key=value");
            var key = assignment[..equals].Trim();
            var path = key.Split('.');
            var parent = root;
            foreach (var part in path[..^1])
                parent = parent[part] as JsonObject ?? throw UnknownKey(assignment, key, parent);
            if (!parent.ContainsKey(path[^1])) throw UnknownKey(assignment, key, parent);
            parent[path[^1]] = ParseValue(assignment[(equals + 1)..].Trim());
        }
        return Json.Deserialize<T>(root.ToJsonString(), "--set");
    }

    static InputError UnknownKey(string assignment, string key, JsonObject level) =>
        new($"--set {assignment}: unknown key '{key}'; valid keys here: {string.Join(", ", level.Select(kv => kv.Key))}") { UnknownKey = key };

    /// <summary>A JSON literal (number, true/false, null, array, object) or else a plain string.</summary>
    static JsonNode? ParseValue(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return JsonValue.Create(text); }
    }
}
