using Probing.Training.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Probing.Training.Checkpoints;

/// <summary>Copies named tensors into a module, refusing missing, extra or mis-shaped tensors by name.</summary>
public static class ModuleState
{
    /// <param name="prefix">Only tensors under this prefix are the module's (e.g. <c>bert.</c> for an encoder inside an MLM checkpoint).</param>
    /// <param name="ignoreOutsidePrefix">Whether tensors outside the prefix (another head) are allowed.</param>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string source, string prefix = "", bool ignoreOutsidePrefix = false)
    {
        var expected = module.state_dict();
        var provided = tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        if (!ignoreOutsidePrefix && provided.Count != tensors.Count)
            throw InputError.InFile(source, $"unexpected tensor {tensors.Keys.First(k => !k.StartsWith(prefix, StringComparison.Ordinal))}");

        var missing = expected.Keys.Where(k => !provided.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw InputError.InFile(source, $"missing tensor {prefix}{missing[0]}" + (missing.Count > 1 ? $" (and {missing.Count - 1} more)" : ""));
        var extra = provided.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        if (extra.Count > 0)
            throw InputError.InFile(source, $"unexpected tensor {prefix}{extra[0]}" + (extra.Count > 1 ? $" (and {extra.Count - 1} more)" : ""));

        using var _ = no_grad();
        foreach (var (name, target) in expected)
        {
            var value = provided[name];
            if (!value.shape.SequenceEqual(target.shape))
                throw InputError.InFile(source, $"tensor {prefix}{name} has shape [{string.Join(", ", value.shape)}] but the config implies [{string.Join(", ", target.shape)}]");
            if (value.dtype != target.dtype && !value.dtype.IsFloatingPoint())
                throw InputError.InFile(source, $"tensor {prefix}{name} has dtype {value.dtype}, expected {target.dtype}");
            target.copy_(value);
        }
    }

    static bool IsFloatingPoint(this ScalarType type) => type is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16;
}
