using Probing.Training.Infrastructure;

namespace Probing.Training.Checkpoints;

/// <summary>
/// Maps the tensor names of a Hugging Face BART checkpoint onto <see cref="Model.Seq2SeqModel"/>'s.
/// <c>BartForConditionalGeneration</c> files have <c>model.*</c> and <c>final_logits_bias</c>; <c>BartModel</c>
/// files have the same without the <c>model.</c> prefix and no output bias (it then stays zero, as
/// transformers leaves it). The tied copies of the shared embedding some files carry
/// (<c>model.encoder.embed_tokens.weight</c>, <c>model.decoder.embed_tokens.weight</c>, <c>lm_head.weight</c>)
/// stand in for <c>model.shared.weight</c> where that is absent and are otherwise only checked for
/// their shape, since transformers ties them to it. Task heads are skipped by name; any other tensor
/// must be one of the model's, so an unexpected tensor is an error rather than silently ignored.
/// </summary>
public static class BartTensorNames
{
    public const string Shared = "model.shared.weight", OutputBias = "final_logits_bias";
    static readonly string[] TiedCopies = ["model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight"];
    static readonly string[] Heads = ["classification_head.", "qa_outputs."];

    /// <summary>Model tensor name → the file's tensor name, and the file's tied copies of the shared embedding.</summary>
    /// <param name="modelNames">The model's own tensor names (<c>model.shared.weight</c>, <c>model.encoder.…</c>, <c>final_logits_bias</c>).</param>
    public static (Dictionary<string, string> Mapping, IReadOnlyList<string> TiedCopies) Map(IEnumerable<string> fileNames, IReadOnlyCollection<string> modelNames, string source)
    {
        var names = fileNames.ToList();
        var hasPrefix = names.Any(n => n.StartsWith("model.", StringComparison.Ordinal));
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        var copies = new List<(string Canonical, string File)>();
        foreach (var name in names)
        {
            if (Heads.Any(head => name.StartsWith(head, StringComparison.Ordinal))) continue;
            var canonical = hasPrefix || name is OutputBias or "lm_head.weight" ? name : "model." + name;
            if (TiedCopies.Contains(canonical))
            {
                copies.Add((canonical, name));
                continue;
            }
            if (!modelNames.Contains(canonical))
                throw InputError.InFile(source, $"unexpected tensor {name} (not part of a BART model of this config.json)");
            mapping[canonical] = name;
        }
        if (!mapping.ContainsKey(Shared) && copies.Count > 0)
        {
            var stand = copies.OrderBy(c => Array.IndexOf(TiedCopies, c.Canonical)).First();
            mapping[Shared] = stand.File;
            copies.Remove(stand);
        }
        var missing = modelNames.Where(n => !mapping.ContainsKey(n) && !(n == OutputBias && !hasPrefix)).ToList();
        if (missing.Count > 0)
            throw InputError.InFile(source, $"missing tensor {missing[0]}" + (missing.Count > 1 ? $" (and {missing.Count - 1} more)" : ""));
        return (mapping, [.. copies.Select(c => c.File)]);
    }
}
