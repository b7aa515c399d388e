using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;

namespace Probing.Training.Checkpoints;

/// <summary>
/// A self-contained encoder folder (<c>config.json</c>, <c>model.safetensors</c>, <c>vocab.txt</c>), as
/// <c>pretrain</c> writes it. Commands that take a base encoder default to the shipped one in <c>data/base</c>.
/// </summary>
public sealed record ModelFolder(string Path)
{
    public const string VocabularyFile = "vocab.txt";

    public static string ShippedBaseDirectory => ProjectPaths.Data("base");

    /// <summary>The given folder, or the shipped base; an error naming what is missing otherwise.</summary>
    public static ModelFolder Resolve(string? directory)
    {
        var folder = new ModelFolder(System.IO.Path.GetFullPath(directory ?? ShippedBaseDirectory));
        foreach (var file in new[] { EncoderCheckpoint.ConfigFile, EncoderCheckpoint.WeightsFile, VocabularyFile })
            if (!System.IO.File.Exists(folder.File(file)))
                throw InputError.InFile(folder.File(file), directory is null
                    ? "the shipped base encoder is missing; run `workbench pretrain` and pass its model folder with --model"
                    : "file not found (a model folder holds config.json, model.safetensors and vocab.txt)");
        return folder;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public EncoderConfig ReadConfig() => EncoderCheckpoint.ReadConfig(Path);

    public Encoder LoadEncoder() => EncoderCheckpoint.LoadEncoder(Path);

    /// <summary>The folder's tokenizer; refuses a vocabulary whose size disagrees with the config.</summary>
    public WordPieceTextTokenizer LoadTokenizer()
    {
        var tokenizer = WordPieceTextTokenizer.FromVocabFile(File(VocabularyFile));
        var config = ReadConfig();
        if (tokenizer.VocabSize != config.VocabSize)
            throw InputError.InFile(File(VocabularyFile), $"has {tokenizer.VocabSize} pieces but config.json says vocab_size {config.VocabSize}");
        return tokenizer;
    }
}
