using Probing.Probing.Features;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;

namespace Probing.Probing.Protocols;

/// <summary>
/// The paper's generalization protocol over methods and seeds: for each (method, seed), fine-tune the
/// base on one task (the SST-2 stand-in by default) and probe the fine-tuned encoder on the other
/// tasks (<see cref="ProtocolContext.Probe"/>'s tasks), with CKA to the base on each task's dev inputs
/// at the probed layers. The base (upper reference) and a random encoder (lower) are probed once,
/// with every run seed, under <c>&lt;root&gt;/references/</c>; their rows carry method "base" and
/// "random", stage "" and stage index 0. Fine-tuned rows carry stage = the fine-tuning task, index 1.
/// </summary>
public static class MethodGeneralization
{
    public const string Protocol = "generalization";
    public const string FineTuneFolder = "finetune", ReferenceFolder = "references";
    public const string DefaultTask = "fine-foods";

    public static StagePlan Plan(string task, IReadOnlyList<string> probedTasks) =>
        new(Protocol, [task], ProbeBase: false, ProbedTasks: _ => probedTasks, CkaTasks: _ => probedTasks, CkaAllLayers: false);

    public static ProtocolResults Run(string task, IReadOnlyList<FineTuneConfig> methods, IReadOnlyList<int> seeds, ProtocolContext context, string root, int randomSeed)
    {
        var references = References(context, seeds, Path.Combine(root, ReferenceFolder), randomSeed);
        var tuned = new StagedFineTuning(Plan(task, context.Probe.Tasks), context).Run(methods, seeds, Path.Combine(root, FineTuneFolder));
        return ProtocolResults.Concat([references, tuned]);
    }

    /// <summary>The base and the random encoder on every probed task, once for all methods; read back when done.</summary>
    internal static ProtocolResults References(ProtocolContext context, IReadOnlyList<int> seeds, string folder, int randomSeed)
    {
        string File(string name) => Path.Combine(folder, name);
        if (System.IO.File.Exists(File(StagedFineTuning.DoneFile)))
            return new(CsvTable.Read<ProbeRow>(File(StagedFineTuning.ProbesFile)), CsvTable.Read<CkaRow>(File(StagedFineTuning.CkaFile)), []);
        Directory.CreateDirectory(folder);
        var baseModel = ProbedModel.Reference(ProbedModel.BaseRole, context.BaseSource);
        var random = ProbedModel.Reference(ProbedModel.RandomRole, new RandomEncoderSource(context.BaseSource, randomSeed));
        var settings = context.Probe with { Seeds = seeds };
        var stage = new ProbeStage(Protocol, "", 0);
        var prober = context.Prober();
        var probes = new List<ProbeRow>();
        var cka = new List<CkaRow>();
        foreach (var task in settings.Tasks)
        {
            var (p, c) = prober.ProbeTask(context.Task(task), [baseModel, random], settings, baseModel, stage);
            probes.AddRange(p);
            cka.AddRange(c);
        }
        context.Store.Release(random.Source);
        CsvTable.Write(File(StagedFineTuning.ProbesFile), probes);
        CsvTable.Write(File(StagedFineTuning.CkaFile), cka);
        AtomicFile.WriteAllText(File(StagedFineTuning.DoneFile), DateTimeOffset.UtcNow.ToString("O") + "\n");
        return new(probes, cka, []);
    }
}
