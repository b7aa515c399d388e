using System.Buffers.Binary;
using NUnit.Framework;
using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using static TorchSharp.torch;

namespace Probing.Tests.Checkpoints;

/// <summary>Every way a Hugging Face folder can be wrong gives one line naming the file at fault.</summary>
public class HfCheckpointRefusalTests
{
    [Test]
    public void UnknownModelTypeNamesConfig()
    {
        var folder = CopyOf(HfFixture.Bert);
        Rewrite(Config(folder), text => text.Replace("\"model_type\": \"bert\"", "\"model_type\": \"gpt2\""));
        var error = Assert.Throws<InputError>(() => ModelFolder.Resolve(folder));
        Assert.That(error!.Message, Does.StartWith(Config(folder)).And.Contain("model_type 'gpt2'"));
    }

    [Test]
    public void RelativePositionEmbeddingsAreRefused()
    {
        var folder = CopyOf(HfFixture.Bert);
        Rewrite(Config(folder), text => text.Replace("\"position_embedding_type\": \"absolute\"", "\"position_embedding_type\": \"relative_key\""));
        var error = Assert.Throws<InputError>(() => ModelFolder.Resolve(folder).LoadEncoder());
        Assert.That(error!.Message, Does.StartWith(Config(folder)).And.Contain("relative_key"));
    }

    [Test]
    public void MissingTensorIsNamed()
    {
        var folder = CopyOf(HfFixture.Bert);
        EditTensors(folder, tensors => tensors.Remove("bert.encoder.layer.1.output.dense.bias"));
        AssertLoadFails(folder, "missing tensor bert.encoder.layer.1.output.dense.bias");
    }

    [Test]
    public void ExtraTensorIsNamed()
    {
        var folder = CopyOf(HfFixture.Roberta);
        EditTensors(folder, tensors => tensors["roberta.encoder.layer.2.output.dense.bias"] = zeros(32, dtype: ScalarType.Float16));
        AssertLoadFails(folder, "unexpected tensor roberta.encoder.layer.2.output.dense.bias");
    }

    [Test]
    public void ShapeThatDisagreesWithConfigIsNamed()
    {
        var folder = CopyOf(HfFixture.Bert);
        Rewrite(Config(folder), text => text.Replace("\"intermediate_size\": 64", "\"intermediate_size\": 48"));
        AssertLoadFails(folder, "tensor bert.encoder.layer.0.intermediate.dense.weight has shape [64, 32] but config.json implies [48, 32]");
    }

    [Test]
    public void UnsupportedDtypeIsNamed()
    {
        var folder = CopyOf(HfFixture.Bert);
        EditTensors(folder, tensors => tensors["bert.embeddings.LayerNorm.gamma"] = tensors["bert.embeddings.LayerNorm.gamma"].to(ScalarType.Float64));
        AssertLoadFails(folder, "tensor bert.embeddings.LayerNorm.gamma has dtype F64");
    }

    [Test]
    public void TruncatedFileIsRefused()
    {
        var folder = CopyOf(HfFixture.Bert);
        var bytes = File.ReadAllBytes(Weights(folder));
        File.WriteAllBytes(Weights(folder), bytes[..(bytes.Length - 100)]);
        AssertLoadFails(folder, "outside the data area");
    }

    [Test]
    public void HeaderLengthBeyondTheFileIsRefused()
    {
        var folder = CopyOf(HfFixture.Roberta);
        var bytes = File.ReadAllBytes(Weights(folder));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 40);
        File.WriteAllBytes(Weights(folder), bytes);
        AssertLoadFails(folder, "goes beyond the end of the file");
    }

    [Test]
    public void BrokenHeaderJsonIsRefused()
    {
        var folder = CopyOf(HfFixture.Bert);
        var bytes = File.ReadAllBytes(Weights(folder));
        bytes[8] = (byte)'[';
        bytes[9] = (byte)'x';
        File.WriteAllBytes(Weights(folder), bytes);
        AssertLoadFails(folder, "not valid JSON");
    }

    [Test]
    public void Bfloat16WeightsBecomeFloat32()
    {
        var folder = CopyOf(HfFixture.Roberta);
        EditTensors(folder, tensors =>
        {
            foreach (var name in tensors.Keys.ToList()) tensors[name] = tensors[name].to(ScalarType.BFloat16);
            tensors["roberta.embeddings.LayerNorm.weight"] = full(32, 1.5, dtype: ScalarType.BFloat16);
        });
        using var encoder = ModelFolder.Resolve(folder).LoadEncoder();
        var weight = encoder.state_dict()["embeddings.LayerNorm.weight"];
        Assert.That(weight.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(weight.eq(1.5f).all().item<bool>(), Is.True);
    }

    static void AssertLoadFails(string folder, string expected)
    {
        var error = Assert.Throws<InputError>(() => ModelFolder.Resolve(folder).LoadEncoder());
        Assert.That(error!.Message, Does.StartWith(Weights(folder)).And.Contain(expected));
        Assert.That(error.Message, Does.Not.Contain('\n'));
    }

    internal static void EditTensors(string folder, Action<Dictionary<string, Tensor>> edit)
    {
        var tensors = StateDictFile.Read(Weights(folder));
        edit(tensors);
        StateDictFile.Write(Weights(folder), tensors);
    }

    internal static void Rewrite(string path, Func<string, string> edit)
    {
        var text = File.ReadAllText(path);
        var edited = edit(text);
        Assert.That(edited, Is.Not.EqualTo(text), "the edit applies");
        File.WriteAllText(path, edited);
    }

    internal static string Config(string folder) => Path.Combine(folder, EncoderCheckpoint.ConfigFile);
    internal static string Weights(string folder) => Path.Combine(folder, EncoderCheckpoint.WeightsFile);

    internal static string CopyOf(string name)
    {
        var target = Path.Combine(Path.GetTempPath(), "probing-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(HfFixture.Directory(name)))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }
}
