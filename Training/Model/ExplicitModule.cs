using TorchSharp.Modules;
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

    /// <summary>
    /// Registers <paramref name="module"/> under a dotted path below this module (e.g.
    /// <c>attention.output.LayerNorm</c>), descending into children already registered and creating
    /// empty containers for the parts that do not exist yet. One computation can so carry the names
    /// of several architectures (BERT's <c>attention.self.query</c>, BART's <c>self_attn.q_proj</c>).
    /// </summary>
    public void RegisterAt(string path, nn.Module module)
    {
        var (parent, name) = ParentOf(path);
        parent.register_module(name, module);
    }

    /// <summary>Registers a parameter under a dotted path, as <see cref="RegisterAt"/> does a module.</summary>
    public void RegisterParameterAt(string path, Parameter parameter)
    {
        var (parent, name) = ParentOf(path);
        parent.register_parameter(name, parameter);
    }

    /// <summary>Registers a buffer (saved, not trained) under a dotted path.</summary>
    public void RegisterBufferAt(string path, Tensor buffer)
    {
        var (parent, name) = ParentOf(path);
        parent.register_buffer(name, buffer);
    }

    /// <summary>
    /// Dropout while training, drawn as <see cref="FastDropout"/> draws it (the same inverted dropout as
    /// <c>nn.Dropout</c>, from the global generator); nothing at p = 0, and no random numbers drawn there.
    /// </summary>
    protected Tensor Dropout(Tensor input, double probability) => FastDropout.Apply(input, probability, training);

    (nn.Module Parent, string Name) ParentOf(string path)
    {
        var parts = path.Split('.');
        nn.Module parent = this;
        foreach (var part in parts[..^1])
        {
            var child = parent.named_children().FirstOrDefault(c => c.name == part).module;
            if (child is null)
            {
                child = new Container(part);
                parent.register_module(part, child);
            }
            parent = child;
        }
        return (parent, parts[^1]);
    }
}

/// <summary>A module that only exists to give its children a Hugging Face parameter path (e.g. <c>cls.predictions</c>).</summary>
sealed class Container(string name) : ExplicitModule(name);
