using System.Security.Cryptography;
using Encoding = System.Text.Encoding;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;
using static TorchSharp.torch;

namespace Probing.Probing.Features;

/// <summary>
/// The lower reference: an encoder of the same shape as <paramref name="shapeOf"/>, BERT-initialised
/// from <paramref name="seed"/> and never trained, reading the same vocabulary. Its content hash is
/// taken over the initialised weights themselves, so a change to the initialisation code can never
/// serve features of an older random encoder from the cache.
/// </summary>
public sealed class RandomEncoderSource(IFeatureSource shapeOf, int seed) : IFeatureSource
{
    readonly Lazy<string> contentHash = new(() => HashOf(shapeOf, seed));

    public string Name => "random";
    public int Seed => seed;
    public string ContentHash => contentHash.Value;
    public EncoderConfig Config => shapeOf.Config;
    public ITextTokenizer Tokenizer => shapeOf.Tokenizer;

    public Encoder LoadEncoder()
    {
        var encoder = new Encoder(Config);
        Initialization.Apply(encoder, Config, seed);
        return encoder;
    }

    static string HashOf(IFeatureSource shapeOf, int seed)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"random-init seed={seed}\n{Json.Serialize(shapeOf.Config)}\n"));
        hash.AppendData(Encoding.UTF8.GetBytes(string.Join("\n", shapeOf.Tokenizer.Vocabulary)));
        using var encoder = new RandomEncoderSource(shapeOf, seed).LoadEncoder();
        foreach (var (name, parameter) in encoder.state_dict().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            using var floats = parameter.detach().to(ScalarType.Float32).contiguous();
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData(ToBytes(floats.data<float>().ToArray()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    static byte[] ToBytes(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
