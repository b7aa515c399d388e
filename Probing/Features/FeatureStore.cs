using Probing.Training.Data;
using Probing.Training.Infrastructure;
using Probing.Training.Model;

namespace Probing.Probing.Features;

/// <summary>
/// Features of a source on a split, from the on-disk cache where a valid entry exists and from one
/// encoder forward (for all missing layers at once) otherwise. A damaged or foreign cache entry is
/// recomputed and overwritten, never used. Encoders are loaded on the first miss and kept until disposal.
/// </summary>
public sealed class FeatureStore(string? cacheDirectory, int batchSize = 64, Action<string>? log = null) : IDisposable
{
    readonly FeatureExtractor extractor = new(batchSize);
    readonly Dictionary<IFeatureSource, Encoder> encoders = new(ReferenceEqualityComparer.Instance);

    /// <summary><c>&lt;repo&gt;/.cache/features</c> (git-ignored).</summary>
    public static string DefaultCacheDirectory => Path.GetFullPath(Path.Combine(ProjectPaths.DataDir, "..", ".cache", "features"));

    /// <summary>Encoder forward passes run by this store; unchanged by a cache hit.</summary>
    public int ForwardPasses => extractor.ForwardPasses;

    public int CacheHits { get; private set; }
    public int CacheMisses { get; private set; }

    /// <returns>The features of every requested layer, keyed by layer.</returns>
    public IReadOnlyDictionary<int, FeatureMatrix> Get(IFeatureSource source, string task, string split, IReadOnlyList<Example> examples,
        IReadOnlyList<int> layers, Pooling pooling, int maxLength)
    {
        var dataHash = FeatureKey.HashTexts(examples);
        var keys = layers.Distinct().ToDictionary(layer => layer, layer => new FeatureKey(source.ContentHash, task, split, dataHash, layer, pooling, maxLength));
        var found = new Dictionary<int, FeatureMatrix>();
        foreach (var (layer, key) in keys)
        {
            if (cacheDirectory is null) continue;
            var cached = FeatureCacheFile.TryRead(PathOf(key), key.Describe(), examples.Count, source.Config.HiddenSize, out var problem);
            if (cached is not null)
            {
                found[layer] = cached;
                CacheHits++;
            }
            else if (problem != "missing")
            {
                log?.Invoke($"feature cache {PathOf(key)}: {problem}; recomputing");
            }
        }
        var missing = keys.Keys.Where(layer => !found.ContainsKey(layer)).ToList();
        if (missing.Count == 0) return found;

        CacheMisses += missing.Count;
        var computed = extractor.Extract(EncoderOf(source), source.Tokenizer, examples, missing, pooling, maxLength);
        for (var i = 0; i < missing.Count; i++)
        {
            found[missing[i]] = computed[i];
            if (cacheDirectory is not null) FeatureCacheFile.Write(PathOf(keys[missing[i]]), keys[missing[i]].Describe(), computed[i]);
        }
        return found;
    }

    public string PathOf(FeatureKey key) => Path.Combine(cacheDirectory ?? throw new InvalidOperationException("no cache directory"), key.FileName);

    Encoder EncoderOf(IFeatureSource source)
    {
        if (!encoders.TryGetValue(source, out var encoder)) encoders[source] = encoder = source.LoadEncoder();
        return encoder;
    }

    /// <summary>Disposes the source's encoder if one was loaded (protocols probe many short-lived checkpoints).</summary>
    public void Release(IFeatureSource source)
    {
        if (encoders.Remove(source, out var encoder)) encoder.Dispose();
    }

    public void Dispose()
    {
        foreach (var encoder in encoders.Values) encoder.Dispose();
        encoders.Clear();
    }
}
