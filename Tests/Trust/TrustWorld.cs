using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Probing.Tests.Checkpoints;

namespace Probing.Tests.Trust;

/// <summary>
/// What the trust tests share: a GLUE folder holding only RTE (two train examples), copies of the small
/// Hugging Face BERT fixture as base models, the command line of a fine-tune that takes about a second,
/// and a byte-level snapshot of a folder to prove that a refused command changed nothing.
/// </summary>
static class TrustWorld
{
    public static string Temp(string prefix = "probing-trust-") => Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>A GLUE folder with RTE only (the common case: people download the tasks they use).</summary>
    public static string RteOnlyGlue()
    {
        var source = Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "Fixtures", "glue", "RTE");
        var glue = Temp("probing-glue-");
        Directory.CreateDirectory(Path.Combine(glue, "RTE"));
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(glue, "RTE", Path.GetFileName(file)));
        return glue;
    }

    /// <summary>A copy of the small Hugging Face BERT fixture (2 layers × 32 units, 134-piece vocabulary).</summary>
    public static string BertCopy()
    {
        var target = Temp("probing-model-");
        foreach (var file in Directory.GetFiles(HfFixture.Directory(HfFixture.Bert)))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    /// <summary>A fine-tune of the model on RTE: 4 steps of batch 2, checkpointed every step.</summary>
    public static string[] FineTune(string model, string glue, string output, params string[] extra) =>
    [
        "--threads", "1", "finetune", "--task", "rte", "--data-dir", glue, "--model", model, "--method", "standard",
        "--set", "max_steps=4", "--set", "batch_size=2", "--set", "max_length=24", "--set", "eval_batch_size=2",
        "--set", "checkpoint_every=1", "--set", "eval_every=2", "--out", output, .. extra,
    ];

    /// <summary>
    /// Every file and folder under <paramref name="root"/> with the SHA-256 of its bytes: equal snapshots, byte-identical
    /// trees. A lock file counts by its presence (a held one cannot be opened by .NET, which takes its own advisory lock).
    /// </summary>
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root)) return snapshot;
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
            snapshot[Path.GetRelativePath(root, entry)] = !File.Exists(entry) ? "folder"
                : Path.GetFileName(entry) == global::Probing.Workbench.Runs.RunLock.FileName ? "lock"
                : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(entry)));
        return snapshot;
    }

    /// <summary>Rewrites a safetensors header (the tensor data stays): e.g. a tensor's dtype and shape.</summary>
    public static void EditHeader(string safetensors, Action<JsonObject> edit)
    {
        var bytes = File.ReadAllBytes(safetensors);
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        edit(header);
        var text = Encoding.UTF8.GetBytes(header.ToJsonString());
        var output = new byte[8 + text.Length + bytes.Length - 8 - length];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)text.Length);
        text.CopyTo(output, 8);
        bytes.AsSpan(8 + length).CopyTo(output.AsSpan(8 + text.Length));
        File.WriteAllBytes(safetensors, output);
    }

    /// <summary>Flips one bit of a file, in the middle.</summary>
    public static void FlipByte(string file)
    {
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(file, bytes);
    }

    /// <summary>One line on stderr, no stack trace.</summary>
    public static void AssertOneLine(string error)
    {
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Not.Contain("   at "), error);
    }
}
