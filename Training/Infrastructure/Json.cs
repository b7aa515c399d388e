using System.Text.Json;
using System.Text.Json.Serialization;

namespace Probing.Training.Infrastructure;

/// <summary>One JSON convention for configs and results: snake_case keys, unknown keys are errors.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw InputError.InFile(source, "empty JSON");
        }
        catch (JsonException e)
        {
            throw InputError.InFile(source, Describe(e));
        }
    }

    public static T Read<T>(string path)
    {
        if (!File.Exists(path)) throw InputError.InFile(path, "file not found");
        return Deserialize<T>(File.ReadAllText(path), path);
    }

    public static void Write<T>(string path, T value) => AtomicFile.WriteAllText(path, Serialize(value) + "\n");

    static string Describe(JsonException e)
    {
        // System.Text.Json says "The JSON property 'x' could not be mapped to any .NET member ...".
        var message = e.Message.Split(" Path:")[0];
        var where = e.Path is { Length: > 0 } ? $" (at {e.Path})" : "";
        return message.Contains("could not be mapped", StringComparison.Ordinal)
            ? $"unknown key{where}: {message}"
            : $"invalid JSON{where}: {message}";
    }
}
