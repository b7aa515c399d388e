using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;

namespace Probing.Training.Checkpoints;

/// <summary>
/// A self-contained encoder folder: <c>config.json</c>, <c>model.safetensors</c> and the tokenizer
/// files its <c>model_type</c> needs — <c>vocab.txt</c> for BERT (and the workbench's own folders, as
/// <c>pretrain</c> writes them), <c>vocab.json</c> + <c>merges.txt</c> for RoBERTa. Hugging Face
/// folders of either kind work as they are. Commands that take a base encoder default to the shipped one in <c>data/base</c>.
/// </summary>
public sealed record ModelFolder(string Path, string ModelType)
{
    public const string VocabularyFile = "vocab.txt";

    public static string ShippedBaseDirectory => ProjectPaths.Data("base");

    /// <summary>The given folder, or the shipped base; an error naming what is missing otherwise.</summary>
    public static ModelFolder Resolve(string? directory)
    {
        var path = System.IO.Path.GetFullPath(directory ?? ShippedBaseDirectory);
        string Missing(string file) => directory is null
            ? "the shipped base encoder is missing; run `workbench pretrain` and pass its model folder with --model"
            : $"file not found (a model folder holds {EncoderCheckpoint.ConfigFile}, {EncoderCheckpoint.WeightsFile} and the tokenizer files)";
        var configPath = System.IO.Path.Combine(path, EncoderCheckpoint.ConfigFile);
        if (!System.IO.File.Exists(configPath)) throw InputError.InFile(configPath, Missing(EncoderCheckpoint.ConfigFile));
        var modelType = ModelConfigFile.ReadModelType(configPath) ?? "bert";
        if (!EncoderConfig.ModelTypes.Contains(modelType))
            throw InputError.InFile(configPath, $"model_type '{modelType}' is not supported; expected one of {string.Join(", ", EncoderConfig.ModelTypes)}");
        var folder = new ModelFolder(path, modelType);
        foreach (var file in folder.ContentFiles)
            if (!System.IO.File.Exists(folder.File(file))) throw InputError.InFile(folder.File(file), Missing(file));
        FolderChecksums.VerifyIfPresent(path);
        return folder;
    }

    /// <summary>The files that define the model; their content is its identity.</summary>
    public IReadOnlyList<string> ContentFiles => ModelType == "roberta"
        ? [EncoderCheckpoint.WeightsFile, EncoderCheckpoint.ConfigFile, ByteLevelBpeTextTokenizer.VocabularyFile, ByteLevelBpeTextTokenizer.MergesFile]
        : [EncoderCheckpoint.WeightsFile, EncoderCheckpoint.ConfigFile, VocabularyFile];

    public string File(string name) => System.IO.Path.Combine(Path, name);

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> validated = new();

    /// <summary>
    /// Checks everything a run will read from the folder before the run writes anything: config.json,
    /// every tensor's name, dtype and shape against it, the weights themselves, and the tokenizer files
    /// (their vocabulary must match the embeddings). Nothing stays loaded; a folder already checked in
    /// this process with unchanged files is not read again.
    /// </summary>
    public ModelFolder Validate()
    {
        var stamp = string.Join("|", ContentFiles.Select(name =>
        {
            var info = new FileInfo(File(name));
            return FormattableString.Invariant($"{name}:{info.LastWriteTimeUtc.Ticks}:{info.Length}");
        }));
        if (validated.TryGetValue(Path, out var known) && known == stamp) return this;
        LoadTokenizer();
        using (LoadEncoder()) { }
        validated[Path] = stamp;
        return this;
    }

    public EncoderConfig ReadConfig() => EncoderCheckpoint.ReadConfig(Path);

    public Encoder LoadEncoder() => EncoderCheckpoint.LoadEncoder(Path);

    /// <summary>The folder's tokenizer; refuses a vocabulary whose size disagrees with the config.</summary>
    public ITextTokenizer LoadTokenizer()
    {
        ITextTokenizer tokenizer = ModelType == "roberta"
            ? ByteLevelBpeTextTokenizer.FromFiles(File(ByteLevelBpeTextTokenizer.VocabularyFile), File(ByteLevelBpeTextTokenizer.MergesFile))
            : WordPieceTextTokenizer.FromVocabFile(File(VocabularyFile));
        var config = ReadConfig();
        if (tokenizer.VocabSize != config.VocabSize)
            throw InputError.InFile(File(ContentFiles[2]), $"has {tokenizer.VocabSize} pieces but config.json says vocab_size {config.VocabSize}");
        return tokenizer;
    }
}
