using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// Where a model lives, and a check that every tensor a step leaves behind (parameters, buffers,
/// gradients, optimizer moments, teachers, snapshots) lives there too: a tensor made without
/// <c>device:</c> stays on the CPU and, on a GPU, fails later far from its cause or silently runs there.
/// </summary>
public static class DeviceAudit
{
    /// <summary>The device of the module's first parameter (the CPU for a module without parameters).</summary>
    public static Device DeviceOf(nn.Module module) => module.parameters().FirstOrDefault()?.device ?? CPU;

    /// <summary>The module's parameters, their gradients and its buffers, by name.</summary>
    public static IEnumerable<(string Name, Tensor Tensor)> TensorsOf(nn.Module module, string prefix = "")
    {
        foreach (var (name, parameter) in module.named_parameters())
        {
            yield return (prefix + name, parameter);
            if (parameter.grad is { } grad) yield return (prefix + name + ".grad", grad);
        }
        foreach (var (name, buffer) in module.named_buffers()) yield return (prefix + name, buffer);
    }

    /// <summary>Throws naming the first tensor that is not on <paramref name="device"/>.</summary>
    /// <param name="where">What is being checked, for the message (e.g. "fine-tuning step 1").</param>
    public static void Require(Device device, IEnumerable<(string Name, Tensor Tensor)> tensors, string where)
    {
        foreach (var (name, tensor) in tensors)
            if (tensor.device_type != device.type || (device.index >= 0 && tensor.device_index != device.index))
                throw new InvalidOperationException($"{where}: tensor {name} is on {tensor.device}, but the model is on {device}; a tensor was created without device:");
    }
}
