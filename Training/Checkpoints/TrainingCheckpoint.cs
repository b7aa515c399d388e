using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Optimization;
using static TorchSharp.torch;

namespace Probing.Training.Checkpoints;

/// <summary>
/// What resuming needs: model weights, optimizer moments and the step reached. Written to a
/// sibling folder and swapped in by renames, so a kill at any moment leaves one complete checkpoint.
/// </summary>
public static class TrainingCheckpoint
{
    public sealed record State(int Step, double ElapsedSeconds);

    const string OptimizerFile = "optimizer.safetensors";
    const string StateFile = "state.json";
    const string ExtraFile = "extra.safetensors";

    /// <param name="config">The model's config, written as its config.json (an <see cref="EncoderConfig"/> or a <see cref="Seq2SeqConfig"/>).</param>
    /// <param name="extra">Further named tensors resuming needs (e.g. a fine-tuning method's teachers).</param>
    public static void Save<TConfig>(string directory, nn.Module model, TConfig config, AdamW optimizer, State state, IReadOnlyDictionary<string, Tensor>? extra = null)
    {
        var staging = directory + ".new";
        var previous = directory + ".old";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        EncoderCheckpoint.Save(staging, config, model);
        StateDictFile.Write(Path.Combine(staging, OptimizerFile), optimizer.StateDict());
        Json.Write(Path.Combine(staging, StateFile), state);
        if (extra is { Count: > 0 }) StateDictFile.Write(Path.Combine(staging, ExtraFile), extra);
        if (Directory.Exists(directory)) Directory.Move(directory, previous);
        Directory.Move(staging, directory);
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
    }

    /// <summary>Restores model and optimizer from the newest complete checkpoint; null if there is none.</summary>
    public static State? TryLoad(string directory, nn.Module model, AdamW optimizer, Action<IReadOnlyDictionary<string, Tensor>, string>? loadExtra = null)
    {
        var source = Directory.Exists(directory) ? directory : Directory.Exists(directory + ".old") ? directory + ".old" : null;
        if (source is null) return null;
        var weights = Path.Combine(source, EncoderCheckpoint.WeightsFile);
        var tensors = StateDictFile.Read(weights);
        ModuleState.Load(model, tensors, weights);
        var optimizerPath = Path.Combine(source, OptimizerFile);
        var optimizerState = StateDictFile.Read(optimizerPath);
        optimizer.LoadStateDict(optimizerState, optimizerPath);
        foreach (var t in tensors.Values.Concat(optimizerState.Values)) t.Dispose();
        var extraPath = Path.Combine(source, ExtraFile);
        if (loadExtra is not null && File.Exists(extraPath))
        {
            var extra = StateDictFile.Read(extraPath);
            loadExtra(extra, extraPath);
            foreach (var t in extra.Values) t.Dispose();
        }
        return Json.Read<State>(Path.Combine(source, StateFile));
    }
}
