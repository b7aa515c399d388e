using Probing.Training.Infrastructure;

namespace Probing.Probing.Probes;

/// <summary>
/// Probes by name. A new probe is one class and one line in <see cref="Default"/>; callers (and tests)
/// can add their own with <see cref="With"/> without touching this file.
/// </summary>
public sealed class ProbeRegistry
{
    readonly IReadOnlyDictionary<string, Func<IProbe>> factories;

    ProbeRegistry(IReadOnlyDictionary<string, Func<IProbe>> factories) => this.factories = factories;

    public static ProbeRegistry Default { get; } = new ProbeRegistry(new Dictionary<string, Func<IProbe>>(StringComparer.OrdinalIgnoreCase))
        .With("linear", () => new LinearProbe())
        .With("mlp", () => new MlpProbe());

    public IEnumerable<string> Names => factories.Keys;

    /// <summary>A registry with one more probe (this one is unchanged).</summary>
    public ProbeRegistry With(string name, Func<IProbe> factory) =>
        new(new Dictionary<string, Func<IProbe>>(factories.Append(new(name, factory)), StringComparer.OrdinalIgnoreCase));

    public IProbe Create(string name) =>
        factories.TryGetValue(name, out var factory) ? factory()
            : throw new InputError($"--probe {name}: unknown probe; known: {string.Join(", ", Names)}");
}
