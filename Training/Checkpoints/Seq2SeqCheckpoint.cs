using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;
using static TorchSharp.torch;

namespace Probing.Training.Checkpoints;

/// <summary>
/// A BART model folder's weights and config: Hugging Face's <c>BartForConditionalGeneration</c> layout,
/// which the workbench's own seq2seq folders also use. Loading checks the file's header (dtypes,
/// shapes against config.json, the tensor set) before any tensor is read.
/// </summary>
public static class Seq2SeqCheckpoint
{
    public static Seq2SeqConfig ReadConfig(string directory) => ModelConfigFile.ReadSeq2Seq(Path.Combine(directory, EncoderCheckpoint.ConfigFile));

    /// <summary>Writes config.json (BART's keys) and model.safetensors (BART's names; the shared embedding once).</summary>
    public static void Save(string directory, Seq2SeqModel model) => EncoderCheckpoint.Save(directory, model.Config, model);

    /// <summary>
    /// A complete model folder: weights, config and the tokenizer files — <c>vocab.txt</c> written from a
    /// WordPiece tokenizer, or <c>vocab.json</c> + <c>merges.txt</c> copied from <paramref name="tokenizerFiles"/>
    /// (the folder the byte-level BPE tokenizer came from). Returns the files written, in folder order.
    /// </summary>
    public static IReadOnlyList<string> SaveFolder(string directory, Seq2SeqModel model, ITextTokenizer tokenizer, ModelFolder? tokenizerFiles)
    {
        if (tokenizer is WordPieceTextTokenizer != model.Config.UsesWordPiece)
            throw new ArgumentException("the tokenizer's kind differs from the config's tokenizer_class", nameof(tokenizer));
        Save(directory, model);
        List<string> files = [EncoderCheckpoint.WeightsFile, EncoderCheckpoint.ConfigFile];
        if (tokenizer is WordPieceTextTokenizer wordPiece)
        {
            wordPiece.SaveVocabulary(Path.Combine(directory, ModelFolder.VocabularyFile));
            files.Add(ModelFolder.VocabularyFile);
            return files;
        }
        if (tokenizerFiles is null || tokenizerFiles.UsesWordPiece) throw new ArgumentException("a byte-level BPE tokenizer's files must come from its folder", nameof(tokenizerFiles));
        foreach (var file in new[] { ByteLevelBpeTextTokenizer.VocabularyFile, ByteLevelBpeTextTokenizer.MergesFile })
        {
            File.Copy(tokenizerFiles.File(file), Path.Combine(directory, file), overwrite: true);
            files.Add(file);
        }
        return files;
    }

    public static Seq2SeqModel Load(string directory)
    {
        var config = ReadConfig(directory);
        var path = Path.Combine(directory, EncoderCheckpoint.WeightsFile);
        var header = SafetensorsHeader.Read(path).ToDictionary(e => e.Name, StringComparer.Ordinal);
        var model = new Seq2SeqModel(config);
        try
        {
            var expected = model.state_dict();
            var (mapping, tiedCopies) = BartTensorNames.Map(header.Keys, expected.Keys, path);
            foreach (var copy in tiedCopies)
                if (!header[copy].Shape.SequenceEqual(expected[BartTensorNames.Shared].shape))
                    throw InputError.InFile(path, $"tensor {copy} has shape [{string.Join(", ", header[copy].Shape)}] but the shared embedding it is tied to has [{string.Join(", ", expected[BartTensorNames.Shared].shape)}]");
            // A BartModel file has no output bias: it stays zero, as transformers leaves it.
            using var zeroBias = zeros_like(model.FinalLogitsBias);
            var missing = mapping.ContainsKey(BartTensorNames.OutputBias) ? [] : new Dictionary<string, Tensor> { [BartTensorNames.OutputBias] = zeroBias };
            EncoderCheckpoint.LoadMapped(model, mapping, header, path, missing);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The encoder of a BART folder on its own: its layers and positions, with the shared word embeddings as its <c>embed_tokens</c>.</summary>
    public static Encoder LoadEncoder(string directory)
    {
        using var model = Load(directory);
        var encoder = new Encoder(model.Config.EncoderStack);
        var tensors = new Dictionary<string, Tensor>(model.Encoder.state_dict()) { [StackNames.Bart.Words + ".weight"] = model.WordMatrix };
        ModuleState.Load(encoder, tensors, Path.Combine(directory, EncoderCheckpoint.WeightsFile));
        return encoder;
    }
}
