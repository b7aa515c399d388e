using Probing.Training.Checkpoints;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;
using static TorchSharp.torch;

namespace Probing.Training.Pretraining;

public sealed record DenoisingOutcome(
    DenoisingEvaluation Evaluation, int TrainSequences, int HeldOutSequences, int VocabularySize,
    int TrainLines, int HeldOutLines, int ExcludedLines, double TrainSeconds);

/// <summary>
/// Corpus → tokenizer (the warm-start encoder's, or a pruned WordPiece vocabulary) → packed sequences →
/// denoising → held-out evaluation → a seq2seq model folder (<c>model/</c>: a Hugging Face BART
/// config.json and model.safetensors, the tokenizer files, SHA256SUMS) inside the run folder.
/// </summary>
public static class DenoisingPipeline
{
    public const string ModelSubfolder = "model";

    public static DenoisingOutcome Run(DenoisingConfig config, CorpusSource source, string runDirectory, ITrainingProgress progress)
    {
        config.Validate();
        var corpus = PretrainingCorpus.Load(source.Files, source.IsExcluded, config.HeldOutFraction);
        progress.Message($"corpus: {corpus.TrainLines.Count:N0} training lines, {corpus.HeldOutLines.Count:N0} held out, {corpus.ExcludedLines:N0} dropped as task dev/test text");

        var modelDirectory = Path.Combine(runDirectory, ModelSubfolder);
        Directory.CreateDirectory(modelDirectory);
        var start = config.WarmStart == DenoisingConfig.NoWarmStart ? null
            : ModelFolder.Resolve(config.WarmStart == DenoisingConfig.ShippedBase ? null : config.WarmStart);
        if (start is { IsSeq2Seq: true }) throw InputError.InFile(start.Path, "warm_start needs an encoder folder (BERT or RoBERTa), not a seq2seq one");
        var tokenizer = start?.LoadTokenizer()
            ?? PretrainingPipeline.PrepareVocabulary(config.VocabularyMinCount, source.VocabularyPath, corpus, Path.Combine(modelDirectory, ModelFolder.VocabularyFile));
        config = config with { Model = ModelConfig(config, tokenizer, start) };

        var train = PackedSequences.Pack(corpus.TrainLines, tokenizer, config.SequenceLength);
        var heldOut = PackedSequences.Pack(corpus.HeldOutLines, tokenizer, config.SequenceLength);
        progress.Message($"vocabulary: {tokenizer.VocabSize:N0} pieces; {train.Count:N0} training and {heldOut.Count:N0} held-out sequences of {config.SequenceLength} tokens"
            + (start is null ? "" : $"; warm start from {start.Path} (decoder: {config.DecoderInit.ToString().ToLowerInvariant()})"));

        var pretrainer = new DenoisingPretrainer(config, tokenizer, train, runDirectory, progress);
        using var model = pretrainer.Train(model => Initialize(model, config, start));
        var evaluation = pretrainer.Evaluate(model, heldOut);
        FolderChecksums.Write(modelDirectory, Seq2SeqCheckpoint.SaveFolder(modelDirectory, model, tokenizer, start));
        return new DenoisingOutcome(evaluation, train.Count, heldOut.Count, tokenizer.VocabSize,
            corpus.TrainLines.Count, corpus.HeldOutLines.Count, corpus.ExcludedLines, Math.Round(pretrainer.TrainSeconds, 1));
    }

    /// <summary>The config's shape with the tokenizer's ids; with a warm start, the encoder side must be the starting encoder's.</summary>
    static Seq2SeqConfig ModelConfig(DenoisingConfig config, ITextTokenizer tokenizer, ModelFolder? start)
    {
        var model = config.Model with
        {
            VocabSize = tokenizer.VocabSize, PadTokenId = tokenizer.PadId, BosTokenId = tokenizer.ClsId, EosTokenId = tokenizer.SepId,
            DecoderStartTokenId = tokenizer.SepId, TokenizerClass = tokenizer is WordPieceTextTokenizer ? Seq2SeqConfig.WordPieceTokenizerClass : null,
        };
        model.Validate("denoising config (model)");
        if (model.MaxPositionEmbeddings < config.SequenceLength)
            throw new InputError($"model.max_position_embeddings ({model.MaxPositionEmbeddings}) is shorter than sequence_length ({config.SequenceLength})");
        if (start is null) return model;
        var encoder = start.ReadConfig();
        void Same(string key, object value, string encoderKey, object encoderValue)
        {
            if (!value.Equals(encoderValue))
                throw new InputError($"model.{key} is {value} but the warm start's {encoderKey} is {encoderValue} ({start.File(EncoderCheckpoint.ConfigFile)}); set them equal");
        }
        Same("d_model", model.DModel, "hidden_size", encoder.HiddenSize);
        Same("encoder_layers", model.EncoderLayers, "num_hidden_layers", encoder.NumHiddenLayers);
        Same("encoder_attention_heads", model.EncoderAttentionHeads, "num_attention_heads", encoder.NumAttentionHeads);
        Same("encoder_ffn_dim", model.EncoderFfnDim, "intermediate_size", encoder.IntermediateSize);
        Same("activation_function", model.ActivationFunction, "hidden_act", encoder.HiddenAct);
        if (model.MaxPositionEmbeddings > encoder.MaxSequenceLength)
            throw new InputError($"model.max_position_embeddings is {model.MaxPositionEmbeddings} but the warm start covers {encoder.MaxSequenceLength} positions");
        if (config.DecoderInit == DecoderInitialization.Encoder)
        {
            Same("decoder_attention_heads", model.DecoderAttentionHeads, "num_attention_heads", encoder.NumAttentionHeads);
            Same("decoder_ffn_dim", model.DecoderFfnDim, "intermediate_size", encoder.IntermediateSize);
        }
        return model;
    }

    static void Initialize(Seq2SeqModel model, DenoisingConfig config, ModelFolder? start)
    {
        Initialization.Apply(model, config.Seed);
        if (start is null) return;
        using var encoder = start.LoadEncoder();
        var tensors = StateDictFile.Read(start.File(EncoderCheckpoint.WeightsFile));
        try
        {
            var bias = OutputBiasNames.Select(name => tensors.GetValueOrDefault(name)).FirstOrDefault(t => t is not null && t.shape.SequenceEqual([model.Config.VocabSize]));
            Seq2SeqWarmStart.FromEncoder(model, encoder, bias, config.DecoderInit);
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>Where a masked-LM output bias sits in the workbench's and Hugging Face's BERT and RoBERTa files.</summary>
    static readonly string[] OutputBiasNames = ["cls.predictions.bias", "lm_head.bias"];
}
