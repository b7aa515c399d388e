using System.Globalization;
using System.Text.RegularExpressions;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Probing.Training.Optimization;
using static TorchSharp.torch;

namespace Probing.Training.Checkpoints;

/// <summary>
/// What resuming needs, one folder per saved step: <c>&lt;directory&gt;/step-NNNNNNNN/</c> holds the
/// weights, the optimizer moments, the step reached, a method's extra tensors, copies of the run's
/// logs up to that step, and a <c>SHA256SUMS</c> over all of them.
/// <para>
/// Safe at every instant: a checkpoint is written under a temporary name, flushed to disk, and made
/// visible by one rename (atomic), so a kill leaves either the new checkpoint or none of it; the
/// previous checkpoint is kept until a newer one is in place (the last <see cref="Kept"/> are kept),
/// and an old one is renamed to a temporary name before it is deleted. Temporary leftovers of a kill
/// are deleted on load. Loading verifies the checksums and falls back to the previous checkpoint when
/// the newest is damaged; with none intact it names the folder to delete.
/// </para>
/// The caller must be the folder's only writer (the run folder's lock).
/// </summary>
public static partial class TrainingCheckpoint
{
    public sealed record State(int Step, double ElapsedSeconds);

    /// <summary>A restored checkpoint: its state, and its folder (where the logs saved with it are).</summary>
    public sealed record Restored(State State, string Folder);

    /// <summary>Checkpoints kept: the newest and the one before it, to fall back on if the newest is damaged.</summary>
    public const int Kept = 2;

    const string OptimizerFile = "optimizer.safetensors";
    const string StateFile = "state.json";
    const string ExtraFile = "extra.safetensors";

    public static string StepFolderName(int step) => string.Create(CultureInfo.InvariantCulture, $"step-{step:D8}");

    /// <param name="config">The model's config, written as its config.json (an <see cref="EncoderConfig"/> or a <see cref="Seq2SeqConfig"/>).</param>
    /// <param name="extra">Further named tensors resuming needs (e.g. a fine-tuning method's teachers).</param>
    /// <param name="files">Files (e.g. the run's logs as of this step) copied into the checkpoint, restored with it.</param>
    public static void Save<TConfig>(string directory, nn.Module model, TConfig config, AdamW optimizer, State state,
        IReadOnlyDictionary<string, Tensor>? extra = null, IReadOnlyList<string>? files = null)
    {
        Directory.CreateDirectory(directory);
        var final = Path.Combine(directory, StepFolderName(state.Step));
        var staging = AtomicFile.TempName(final);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        try
        {
            EncoderCheckpoint.Save(staging, config, model);
            StateDictFile.Write(Path.Combine(staging, OptimizerFile), optimizer.StateDict());
            Json.Write(Path.Combine(staging, StateFile), state);
            if (extra is { Count: > 0 }) StateDictFile.Write(Path.Combine(staging, ExtraFile), extra);
            foreach (var file in files ?? [])
            {
                var copy = Path.Combine(staging, Path.GetFileName(file));
                File.Copy(file, copy);
                AtomicFile.FlushToDisk(copy);
            }
            FolderChecksums.Write(staging, Directory.GetFiles(staging).Select(Path.GetFileName).Where(n => n != FolderChecksums.FileName).Order(StringComparer.Ordinal)!);
            Posix.FsyncDirectory(staging);
            // A folder of this step already here is damaged or from a future a fallback abandoned.
            if (Directory.Exists(final)) Remove(final);
            Directory.Move(staging, final);
            Posix.FsyncDirectory(directory);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        // Later steps belong to a future a fallback abandoned; older ones beyond the kept few are no longer needed.
        foreach (var (step, folder) in Steps(directory).Where(s => s.Step > state.Step)) Remove(folder);
        foreach (var (_, folder) in Steps(directory).Skip(Kept)) Remove(folder);
    }

    /// <summary>
    /// Restores model, optimizer (and the method's extra tensors) from the newest intact checkpoint;
    /// null if there is none. A damaged checkpoint is reported and skipped for the one before it.
    /// </summary>
    public static Restored? TryLoad(string directory, nn.Module model, AdamW optimizer,
        Action<IReadOnlyDictionary<string, Tensor>, string>? loadExtra = null, Action<string>? report = null)
    {
        if (!Directory.Exists(directory)) return null;
        AtomicFile.RemoveLeftovers(directory);
        var damaged = new List<string>();
        foreach (var (_, folder) in Steps(directory))
        {
            var problem = FolderChecksums.Problem(folder);
            if (problem is null)
            {
                try
                {
                    return new Restored(Load(folder, model, optimizer, loadExtra), folder);
                }
                catch (InputError error)
                {
                    problem = error.Message;
                }
            }
            damaged.Add(problem);
            report?.Invoke($"checkpoint {folder} is damaged ({problem}); falling back to the one before it");
        }
        if (damaged.Count > 0)
            throw new InputError($"{directory}: no intact checkpoint to resume from ({damaged[0]}); delete {directory} to restart this run from step 0");
        return null;
    }

    static State Load(string folder, nn.Module model, AdamW optimizer, Action<IReadOnlyDictionary<string, Tensor>, string>? loadExtra)
    {
        var weights = Path.Combine(folder, EncoderCheckpoint.WeightsFile);
        var tensors = StateDictFile.Read(weights);
        try
        {
            ModuleState.Load(model, tensors, weights);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        var optimizerPath = Path.Combine(folder, OptimizerFile);
        var optimizerState = StateDictFile.Read(optimizerPath);
        try
        {
            optimizer.LoadStateDict(optimizerState, optimizerPath);
        }
        finally
        {
            foreach (var t in optimizerState.Values) t.Dispose();
        }
        var extraPath = Path.Combine(folder, ExtraFile);
        if (loadExtra is not null && File.Exists(extraPath))
        {
            var extra = StateDictFile.Read(extraPath);
            try
            {
                loadExtra(extra, extraPath);
            }
            finally
            {
                foreach (var t in extra.Values) t.Dispose();
            }
        }
        return Json.Read<State>(Path.Combine(folder, StateFile));
    }

    /// <summary>The complete step folders, newest first.</summary>
    static List<(int Step, string Folder)> Steps(string directory) =>
        [.. Directory.GetDirectories(directory)
            .Select(folder => (Match: StepName().Match(Path.GetFileName(folder)), Folder: folder))
            .Where(s => s.Match.Success)
            .Select(s => (int.Parse(s.Match.Groups[1].Value, CultureInfo.InvariantCulture), s.Folder))
            .OrderByDescending(s => s.Item1)];

    /// <summary>Renames first, so a kill during the delete leaves a temporary leftover, never a partial checkpoint under a real name.</summary>
    static void Remove(string folder)
    {
        var doomed = AtomicFile.TempName(folder) + "-old";
        if (Directory.Exists(doomed)) Directory.Delete(doomed, recursive: true);
        Directory.Move(folder, doomed);
        Directory.Delete(doomed, recursive: true);
    }

    [GeneratedRegex(@"^step-(\d+)$")]
    private static partial Regex StepName();
}
