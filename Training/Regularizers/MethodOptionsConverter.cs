using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Probing.Training.Regularizers;

/// <summary>
/// Reads and writes a method as <c>{"kind": …, options…}</c>, the options record chosen by kind in
/// <see cref="MethodRegistry"/>. An unknown kind or option names the valid ones.
/// </summary>
public sealed class MethodOptionsConverter : JsonConverter<MethodOptions>
{
    const string KindKey = "kind";

    public override MethodOptions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("method: expected an object with a \"kind\"");
        var kind = node[KindKey]?.GetValue<string>() ?? throw new JsonException($"method: missing \"kind\" (one of {string.Join(", ", MethodRegistry.Kinds)})");
        if (!MethodRegistry.Kinds.Contains(kind)) throw new JsonException("method.kind: " + MethodRegistry.UnknownKindMessage(kind));
        var type = MethodRegistry.OptionsType(kind);
        var valid = options.GetTypeInfo(type).Properties.Select(p => p.Name).ToList();
        node.Remove(KindKey);
        foreach (var (key, _) in node)
            if (!valid.Contains(key))
                throw new JsonException($"method.{key}: unknown option of method {kind}; valid options: {string.Join(", ", valid)}");
        return (MethodOptions)(node.Deserialize(type, options) ?? throw new JsonException("method: empty"));
    }

    public override void Write(Utf8JsonWriter writer, MethodOptions value, JsonSerializerOptions options)
    {
        var node = new JsonObject { [KindKey] = MethodRegistry.KindOf(value) };
        foreach (var (key, option) in JsonSerializer.SerializeToNode(value, value.GetType(), options)!.AsObject().ToList())
            node[key] = option?.DeepClone();
        node.WriteTo(writer, options);
    }
}
