using Probing.Training.Model;
using Probing.Training.Text;

namespace Probing.Probing.Features;

/// <summary>An encoder whose frozen features can be probed, identified by the hash of its content.</summary>
public interface IFeatureSource
{
    /// <summary>A short label for tables (e.g. "base", "random", a run name).</summary>
    string Name { get; }

    /// <summary>Changes whenever anything that affects the features changes; the cache key's first part.</summary>
    string ContentHash { get; }

    EncoderConfig Config { get; }

    ITextTokenizer Tokenizer { get; }

    /// <summary>A new encoder (the caller disposes it); only called when features are not cached.</summary>
    Encoder LoadEncoder();
}
