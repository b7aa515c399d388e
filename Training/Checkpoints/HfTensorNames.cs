using Probing.Training.Infrastructure;

namespace Probing.Training.Checkpoints;

/// <summary>
/// Maps the tensor names of a Hugging Face checkpoint onto the encoder's. The encoder may sit under
/// <c>bert.</c> / <c>roberta.</c> (BertForMaskedLM, BertForSequenceClassification, RobertaForMaskedLM, …)
/// or at the top (BertModel); old checkpoints name LayerNorm parameters <c>gamma</c>/<c>beta</c>.
/// Task heads, the pooler and the <c>position_ids</c> buffer are skipped by name; every other tensor
/// must be one of the encoder's, so an unexpected tensor is an error rather than silently ignored.
/// </summary>
public static class HfTensorNames
{
    static readonly Dictionary<string, string[]> Heads = new(StringComparer.Ordinal)
    {
        ["bert"] = ["cls.", "classifier.", "qa_outputs."],
        ["roberta"] = ["lm_head.", "classifier.", "qa_outputs."],
    };

    /// <summary>Encoder parameter name → the file's tensor name.</summary>
    /// <param name="encoderNames">The encoder's own parameter names (<c>embeddings.…</c>, <c>encoder.layer.N.…</c>).</param>
    public static Dictionary<string, string> Map(IEnumerable<string> fileNames, string modelType, IReadOnlyCollection<string> encoderNames, string source)
    {
        var names = fileNames.ToList();
        // The workbench's own classifier folders keep the encoder under bert. whatever its model type.
        var prefix = new[] { modelType + ".", "bert." }.FirstOrDefault(p => names.Any(n => n.StartsWith(p, StringComparison.Ordinal))) ?? "";
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (IsSkipped(name, prefix, modelType)) continue;
            var inside = name.StartsWith(prefix, StringComparison.Ordinal) ? ModernLayerNormName(name[prefix.Length..]) : null;
            if (inside is null || !encoderNames.Contains(inside))
                throw InputError.InFile(source, $"unexpected tensor {name} (not part of a {modelType} encoder of this config.json)");
            if (!mapping.TryAdd(inside, name))
                throw InputError.InFile(source, $"tensors {mapping[inside]} and {name} are the same parameter");
        }
        var missing = encoderNames.Where(n => !mapping.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw InputError.InFile(source, $"missing tensor {prefix}{missing[0]}" + (missing.Count > 1 ? $" (and {missing.Count - 1} more)" : ""));
        return mapping;
    }

    static bool IsSkipped(string name, string prefix, string modelType) =>
        Heads[modelType].Any(head => name.StartsWith(head, StringComparison.Ordinal))
        || name.StartsWith(prefix + "pooler.", StringComparison.Ordinal)
        || name == prefix + "embeddings.position_ids";

    /// <summary>TensorFlow-era checkpoints call LayerNorm's weight and bias gamma and beta.</summary>
    static string ModernLayerNormName(string name) =>
        name.EndsWith("LayerNorm.gamma", StringComparison.Ordinal) ? name[..^"gamma".Length] + "weight"
        : name.EndsWith("LayerNorm.beta", StringComparison.Ordinal) ? name[..^"beta".Length] + "bias"
        : name;
}
