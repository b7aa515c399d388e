using System.Text.Json.Nodes;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Training.Regularizers;

namespace Probing.Workbench.Reporting;

/// <summary>
/// A series label: a method, and after it in parentheses the config keys that set this variant of it
/// apart from the study's other runs of the same method (<c>standard (label_smoothing=0.1)</c>). Method
/// kinds never contain " (", so the label parses back.
/// </summary>
public static class MethodLabel
{
    public static string Of(string kind, string variant) => variant.Length == 0 ? kind : $"{kind} ({variant})";

    /// <summary>The method kind of a label: <c>standard</c> for <c>standard (label_smoothing=0.1)</c>.</summary>
    public static string KindOf(string label)
    {
        var open = label.IndexOf(" (", StringComparison.Ordinal);
        return open < 0 || !label.EndsWith(')') ? label : label[..open];
    }

    /// <summary>The variant of a label (<c>label_smoothing=0.1</c>), empty for a plain method.</summary>
    public static string VariantOf(string label)
    {
        var kind = KindOf(label);
        return kind.Length == label.Length ? "" : label[(kind.Length + 2)..^1];
    }
}

/// <summary>
/// Tells apart fine-tunings of one method that differ in a config key (a second spec group with
/// <c>method.label_smoothing</c> set, a <c>learning_rate</c> grid), so reports never average two
/// settings into one row. Within each group of comparable fine-tunings (same command kind, same task or
/// stage tasks, same method) the config keys whose values differ, the seed aside, are the variant keys;
/// a run's label names those of its keys that differ from the method's default config
/// (<see cref="DefaultConfig"/>), so the default setting keeps the bare method name and every other one
/// reads <c>method (key=value, …)</c>. Fine-tunings with identical configs (the same runs under two
/// probes, say) stay one series.
/// </summary>
public static class MethodVariants
{
    /// <summary>
    /// One fine-tuning config of a run: <paramref name="Group"/> holds what must match for two runs to be
    /// compared (command kind and task); <paramref name="Defaults"/> is the method's default config, or null if unknown.
    /// </summary>
    public sealed record Entry(string Run, string Group, string Kind, JsonObject? Config, JsonObject? Defaults);

    /// <summary>The label of every (run, method kind) entry; a bare kind where nothing varies.</summary>
    public static Dictionary<(string Run, string Kind), string> Labels(IEnumerable<Entry> entries)
    {
        var labels = new Dictionary<(string, string), string>();
        foreach (var group in entries.GroupBy(e => (e.Group, e.Kind)))
        {
            var flat = group.Select(e => (Entry: e, Values: Flatten(e.Config))).ToList();
            var keys = flat.SelectMany(f => f.Values.Keys).Distinct()
                .Where(k => k != SeedKey && flat.Select(f => f.Values.GetValueOrDefault(k)).Distinct().Count() > 1)
                .Order(StringComparer.Ordinal).ToList();
            foreach (var (entry, values) in flat)
            {
                var defaults = Flatten(entry.Defaults);
                var parts = keys.Where(k => entry.Defaults is null || values.GetValueOrDefault(k) != defaults.GetValueOrDefault(k))
                    .Select(k => $"{ShortName(k, keys)}={values.GetValueOrDefault(k) ?? "none"}");
                labels[(entry.Run, entry.Kind)] = MethodLabel.Of(entry.Kind, string.Join(", ", parts));
            }
        }
        return labels;
    }

    const string SeedKey = "seed";

    /// <summary>
    /// The config a fine-tuning of <paramref name="methodKind"/> gets with no <c>--set</c>, as JSON, for the
    /// run kinds <c>finetune</c> and <c>finetune-seq2seq</c> (and the per-method configs of protocols, which
    /// are <c>finetune</c> configs); null for an unknown method.
    /// </summary>
    public static JsonObject? DefaultConfig(bool seq2seq, string methodKind)
    {
        if (!MethodRegistry.Kinds.Contains(methodKind)) return null;
        try
        {
            object config = seq2seq
                ? new Seq2SeqFineTuneConfig { Method = MethodRegistry.Seq2SeqDefaults(methodKind) }
                : new FineTuneConfig { Method = MethodRegistry.Defaults(methodKind) };
            return JsonNode.Parse(Json.Serialize(config))?.AsObject();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InputError) { return null; }
    }

    /// <summary>Dotted key → JSON text of every leaf (an array counts as one value).</summary>
    static Dictionary<string, string> Flatten(JsonObject? config)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string path)
        {
            if (node is JsonObject obj)
                foreach (var (key, child) in obj) Walk(child, path.Length == 0 ? key : $"{path}.{key}");
            else values[path] = node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString() ?? "null";
        }
        if (config is not null) Walk(config, "");
        return values;
    }

    /// <summary>The key's last part where no other variant key ends the same way, else the whole dotted key.</summary>
    static string ShortName(string key, IReadOnlyList<string> keys)
    {
        var last = key[(key.LastIndexOf('.') + 1)..];
        return keys.Count(k => k == last || k.EndsWith("." + last, StringComparison.Ordinal)) == 1 ? last : key;
    }
}
