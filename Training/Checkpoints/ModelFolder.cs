using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;

namespace Probing.Training.Checkpoints;

/// <summary>
/// A self-contained model folder: <c>config.json</c>, <c>model.safetensors</c> and the tokenizer
/// files its <c>model_type</c> needs — <c>vocab.txt</c> for BERT (and the workbench's own folders, as
/// <c>pretrain</c> writes them), <c>vocab.json</c> + <c>merges.txt</c> for RoBERTa and BART (a
/// workbench BART built on WordPiece says <c>"tokenizer_class": "BertTokenizer"</c> and has <c>vocab.txt</c>).
/// Hugging Face folders of each kind work as they are. A BART folder is a seq2seq model
/// (<see cref="LoadSeq2Seq"/>) whose encoder also loads on its own (<see cref="LoadEncoder"/>, e.g. to probe it).
/// Commands that take a base encoder default to the shipped one in <c>data/base</c>.
/// </summary>
public sealed record ModelFolder(string Path, string ModelType)
{
    public const string VocabularyFile = "vocab.txt";

    public static string ShippedBaseDirectory => ProjectPaths.Data("base");

    /// <summary>The shipped seq2seq base (<c>data/seq2seq-base</c>), the default model of summarization; null where the checkout has none.</summary>
    public static string? ShippedSeq2SeqDirectory() =>
        System.IO.File.Exists(System.IO.Path.Combine(ProjectPaths.Data("seq2seq-base"), EncoderCheckpoint.ConfigFile)) ? ProjectPaths.Data("seq2seq-base") : null;

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
        var folder = new ModelFolder(path, modelType)
        {
            UsesWordPiece = modelType == "bert" || modelType == Seq2SeqConfig.BartModelType && ModelConfigFile.ReadSeq2Seq(configPath).UsesWordPiece,
        };
        foreach (var file in folder.ContentFiles)
            if (!System.IO.File.Exists(folder.File(file))) throw InputError.InFile(folder.File(file), Missing(file));
        FolderChecksums.VerifyIfPresent(path);
        return folder;
    }

    /// <summary>Whether the tokenizer is WordPiece (<c>vocab.txt</c>) rather than byte-level BPE (<c>vocab.json</c> + <c>merges.txt</c>).</summary>
    public bool UsesWordPiece { get; init; } = true;

    /// <summary>An encoder–decoder (BART) rather than an encoder.</summary>
    public bool IsSeq2Seq => ModelType == Seq2SeqConfig.BartModelType;

    /// <summary>The files that define the model; their content is its identity.</summary>
    public IReadOnlyList<string> ContentFiles => UsesWordPiece
        ? [EncoderCheckpoint.WeightsFile, EncoderCheckpoint.ConfigFile, VocabularyFile]
        : [EncoderCheckpoint.WeightsFile, EncoderCheckpoint.ConfigFile, ByteLevelBpeTextTokenizer.VocabularyFile, ByteLevelBpeTextTokenizer.MergesFile];

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
        using (IsSeq2Seq ? LoadSeq2Seq() : (IDisposable)LoadEncoder()) { }
        validated[Path] = stamp;
        return this;
    }

    /// <summary>The encoder's config (for a BART folder: its encoder stack's).</summary>
    public EncoderConfig ReadConfig() => EncoderCheckpoint.ReadConfig(Path);

    /// <summary>The encoder (for a BART folder: its encoder on its own, with the shared word embeddings as its own).</summary>
    public Encoder LoadEncoder() => IsSeq2Seq ? Seq2SeqCheckpoint.LoadEncoder(Path) : EncoderCheckpoint.LoadEncoder(Path);

    public Seq2SeqConfig ReadSeq2SeqConfig() => IsSeq2Seq ? Seq2SeqCheckpoint.ReadConfig(Path) : throw NotSeq2Seq();

    /// <summary>The whole encoder–decoder of a BART folder.</summary>
    public Seq2SeqModel LoadSeq2Seq() => IsSeq2Seq ? Seq2SeqCheckpoint.Load(Path) : throw NotSeq2Seq();

    InputError NotSeq2Seq() => InputError.InFile(File(EncoderCheckpoint.ConfigFile), $"model_type '{ModelType}' is an encoder; a sequence-to-sequence model needs model_type bart");

    /// <summary>The folder's tokenizer; refuses a vocabulary whose size disagrees with the config.</summary>
    public ITextTokenizer LoadTokenizer()
    {
        ITextTokenizer tokenizer = UsesWordPiece
            ? WordPieceTextTokenizer.FromVocabFile(File(VocabularyFile))
            : ByteLevelBpeTextTokenizer.FromFiles(File(ByteLevelBpeTextTokenizer.VocabularyFile), File(ByteLevelBpeTextTokenizer.MergesFile));
        var config = ReadConfig();
        if (tokenizer.VocabSize != config.VocabSize)
            throw InputError.InFile(File(ContentFiles[2]), $"has {tokenizer.VocabSize} pieces but config.json says vocab_size {config.VocabSize}");
        return tokenizer;
    }
}
