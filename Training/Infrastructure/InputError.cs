namespace Probing.Training.Infrastructure;

/// <summary>
/// Bad input from the user (a file, a key, an option): the CLI prints the message as one line
/// and exits non-zero. The message names the file or key and what was expected.
/// </summary>
public sealed class InputError(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The config key the error is about, when it is an unknown key (so a caller can say where that key came from).</summary>
    public string? UnknownKey { get; init; }

    public static InputError InFile(string path, string problem) => new($"{path}: {problem}");
    public static InputError AtLine(string path, int line, string problem) => new($"{path}:{line}: {problem}");
}
