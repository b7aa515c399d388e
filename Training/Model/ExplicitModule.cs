using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// A module whose children are registered only by explicit <c>register_module</c> calls with Hugging
/// Face's names. TorchSharp would otherwise also register every module-typed field under its C#
/// name, so each parameter would appear twice in the state dict.
/// </summary>
public abstract class ExplicitModule(string name) : nn.Module(name)
{
    protected override void RegisterComponents() { }
}
