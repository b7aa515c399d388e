using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Text;

namespace Probing.Training.Pretraining;

/// <summary>Where pretraining text comes from, and which lines it must never see (task dev/test text).</summary>
public sealed record CorpusSource(IReadOnlyList<string> Files, string VocabularyPath, Func<string, bool> IsExcluded)
{
    public static IReadOnlyList<string> EmbeddedFiles() =>
        [.. Directory.GetFiles(ProjectPaths.Data("corpus"), "pretrain_*.txt.gz").Order(StringComparer.Ordinal)];
}

public sealed record PretrainingOutcome(
    MaskedLmEvaluation Evaluation, int TrainSequences, int HeldOutSequences, int VocabularySize,
    int TrainLines, int HeldOutLines, int ExcludedLines, double TrainSeconds);

/// <summary>
/// Corpus → (pruned) vocabulary → packed sequences → masked-LM training → held-out evaluation →
/// a model folder (<c>model/</c>: config.json, model.safetensors, vocab.txt) inside the run folder.
/// </summary>
public static class PretrainingPipeline
{
    public const string ModelSubfolder = "model";

    public static PretrainingOutcome Run(PretrainConfig config, CorpusSource source, string runDirectory, ITrainingProgress progress)
    {
        var corpus = PretrainingCorpus.Load(source.Files, source.IsExcluded, config.HeldOutFraction);
        progress.Message($"corpus: {corpus.TrainLines.Count:N0} training lines, {corpus.HeldOutLines.Count:N0} held out, {corpus.ExcludedLines:N0} dropped as task dev/test text");

        var modelDirectory = Path.Combine(runDirectory, ModelSubfolder);
        var tokenizer = PrepareVocabulary(config.VocabularyMinCount, source.VocabularyPath, corpus, Path.Combine(modelDirectory, ModelFolder.VocabularyFile));
        var modelConfig = config.Model with { VocabSize = tokenizer.VocabSize, PadTokenId = tokenizer.PadId };
        if (modelConfig.MaxPositionEmbeddings < config.SequenceLength)
            throw new InputError($"model.max_position_embeddings ({modelConfig.MaxPositionEmbeddings}) is shorter than sequence_length ({config.SequenceLength})");
        config = config with { Model = modelConfig.Validate("pretrain config") };

        var train = PackedSequences.Pack(corpus.TrainLines, tokenizer, config.SequenceLength);
        var heldOut = PackedSequences.Pack(corpus.HeldOutLines, tokenizer, config.SequenceLength);
        progress.Message($"vocabulary: {tokenizer.VocabSize:N0} pieces; {train.Count:N0} training and {heldOut.Count:N0} held-out sequences of {config.SequenceLength} tokens");

        var pretrainer = new Pretrainer(config, tokenizer, train, runDirectory, progress);
        using var model = pretrainer.Train();
        var evaluation = pretrainer.Evaluate(model, heldOut);
        EncoderCheckpoint.Save(modelDirectory, config.Model, model);
        FolderChecksums.Write(modelDirectory, [EncoderCheckpoint.WeightsFile, EncoderCheckpoint.ConfigFile, ModelFolder.VocabularyFile]);
        return new PretrainingOutcome(evaluation, train.Count, heldOut.Count, tokenizer.VocabSize,
            corpus.TrainLines.Count, corpus.HeldOutLines.Count, corpus.ExcludedLines, Math.Round(pretrainer.TrainSeconds, 1));
    }

    /// <summary>
    /// The full vocabulary, or (with <see cref="PretrainConfig.VocabularyMinCount"/> &gt; 0) only the
    /// pieces the training text uses: a smaller embedding and masked-LM output layer.
    /// </summary>
    internal static WordPieceTextTokenizer PrepareVocabulary(int minCount, string vocabularyPath, PretrainingCorpus corpus, string outputPath)
    {
        var full = WordPieceTextTokenizer.FromVocabFile(vocabularyPath);
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        if (minCount <= 0)
        {
            full.SaveVocabulary(outputPath);
            return full;
        }
        VocabularyPruner.PruneToFile(full, corpus.TrainLines, outputPath, minCount);
        return WordPieceTextTokenizer.FromVocabFile(outputPath);
    }
}
