using Probing.Training.Infrastructure;

namespace Probing.Probing.Features;

/// <summary>Which hidden states to probe: <c>all</c> (0 = embeddings … L), <c>last</c> (L) or one index.</summary>
public sealed record LayerSelection(string Text)
{
    public static LayerSelection Parse(string text)
    {
        var normalized = text.Trim().ToLowerInvariant();
        if (normalized is "all" or "last" || (int.TryParse(normalized, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0))
            return new LayerSelection(normalized);
        throw new InputError($"--layers {text}: expected all, last or a layer index (0 = embeddings)");
    }

    public IReadOnlyList<int> Resolve(int numLayers) => Text switch
    {
        "all" => [.. Enumerable.Range(0, numLayers + 1)],
        "last" => [numLayers],
        _ => int.Parse(Text, System.Globalization.CultureInfo.InvariantCulture) is var n && n <= numLayers ? [n]
            : throw new InputError($"--layers {Text}: the encoder has layers 0..{numLayers}"),
    };
}
