using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Text;

namespace Probing.Training.FineTuning;

/// <summary>What a fine-tuned model folder's head predicts: written as <c>head.json</c> beside the weights.</summary>
public sealed record HeadInfo(string Task, IReadOnlyList<string> Labels, int Outputs, bool SpectralNorm, string Method)
{
    public const string FileName = "head.json";

    public static HeadInfo For(TaskSpec spec, bool spectralNorm, string method) =>
        new(spec.Name, spec.Labels, spec.IsRegression ? 1 : spec.Labels.Count, spectralNorm, method);

    /// <summary>Refuses a head whose outputs do not fit the task (a label count mismatch, or classification vs regression).</summary>
    public void CheckFits(TaskSpec spec, string source)
    {
        var needed = spec.IsRegression ? 1 : spec.Labels.Count;
        if (Outputs != needed || Labels.Count != spec.Labels.Count)
            throw InputError.InFile(source, $"the head was trained on {Task} with {Describe(Labels.Count, Outputs)}, but task {spec.Name} has {Describe(spec.Labels.Count, needed)}");
    }

    static string Describe(int labels, int outputs) => labels == 0 ? "a regression output" : $"{labels} labels";
}

/// <summary>
/// A fine-tuned model folder: a model folder (config.json, model.safetensors with the encoder under
/// <c>bert.</c> and the head under <c>classifier.</c>, vocab.txt) plus <c>head.json</c>. Its encoder
/// loads like any base: <c>ModelFolder.Resolve(dir).LoadEncoder()</c>.
/// </summary>
public static class FineTunedModel
{
    public static void Save(string directory, SequenceClassifier model, ITextTokenizer tokenizer, HeadInfo head)
    {
        EncoderCheckpoint.Save(directory, model.Config, model);
        if (tokenizer is ByteLevelBpeTextTokenizer bpe) bpe.WriteFiles(directory);
        else VocabularyFile.Write(Path.Combine(directory, ModelFolder.VocabularyFile), tokenizer.Vocabulary);
        Json.Write(Path.Combine(directory, HeadInfo.FileName), head);
    }

    /// <summary>
    /// A model folder as given, or a fine-tuning run folder's <c>best/</c> when the folder itself holds no
    /// model (what <c>probe</c> and <c>export</c> accept).
    /// </summary>
    public static string ModelOrRunBest(string directory)
    {
        var best = Path.Combine(directory, FineTuner.BestFolder);
        // A run folder has a config.json too (its identity), but no weights of its own.
        return !File.Exists(Path.Combine(directory, EncoderCheckpoint.WeightsFile)) && File.Exists(Path.Combine(best, EncoderCheckpoint.WeightsFile)) ? best : directory;
    }

    /// <summary>The folder's head in Hugging Face's form (R4F's spectrally normalised projection folded into a plain linear layer), with its labels.</summary>
    public static HfClassificationHead ExportHead(string directory)
    {
        var head = ReadHead(directory);
        using var model = new SequenceClassifier(EncoderCheckpoint.ReadConfig(directory), head.Outputs, head.SpectralNorm);
        var path = Path.Combine(directory, EncoderCheckpoint.WeightsFile);
        var tensors = StateDictFile.Read(path);
        ModuleState.Load(model, tensors, path);
        foreach (var t in tensors.Values) t.Dispose();
        model.eval();
        var (denseWeight, denseBias, outWeight, outBias) = model.Head.AsPlainLinear();
        return new HfClassificationHead(head.Labels, denseWeight, denseBias, outWeight, outBias);
    }

    public static bool HasHead(string directory) => File.Exists(Path.Combine(directory, HeadInfo.FileName));

    public static HeadInfo ReadHead(string directory) => Json.Read<HeadInfo>(Path.Combine(directory, HeadInfo.FileName));

    /// <summary>Loads encoder and head, refusing a head that does not fit <paramref name="spec"/>.</summary>
    public static SequenceClassifier Load(string directory, TaskSpec spec)
    {
        var head = ReadHead(directory);
        head.CheckFits(spec, Path.Combine(directory, HeadInfo.FileName));
        var model = new SequenceClassifier(EncoderCheckpoint.ReadConfig(directory), head.Outputs, head.SpectralNorm);
        var path = Path.Combine(directory, EncoderCheckpoint.WeightsFile);
        var tensors = StateDictFile.Read(path);
        ModuleState.Load(model, tensors, path);
        foreach (var t in tensors.Values) t.Dispose();
        return model;
    }
}
