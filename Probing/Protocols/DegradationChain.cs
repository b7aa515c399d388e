using Probing.Training.FineTuning;

namespace Probing.Probing.Protocols;

/// <summary>
/// The degradation chain: sequential fine-tuning along a chain of tasks (default the stand-ins of
/// SST-2 → QNLI → QQP → RTE), each stage starting from the previous stage's encoder with a fresh head.
/// At stage 0 (the base) the first task is probed; after stage k the first k tasks (the first task,
/// every earlier one, and the one just fine-tuned). CKA to the base on the first task's dev inputs at every layer.
/// </summary>
public static class DegradationChain
{
    public const string Protocol = "chain";
    public const string Folder = "chains";

    public static IReadOnlyList<string> DefaultTasks { get; } = ["fine-foods", "qnli-proxy", "qqp-proxy", "rte-proxy"];

    public static StagePlan Plan(IReadOnlyList<string> tasks)
    {
        if (tasks.Count == 0) throw new ArgumentException("a chain needs at least one task", nameof(tasks));
        return new(Protocol, tasks, ProbeBase: true,
            ProbedTasks: k => [.. tasks.Take(Math.Max(1, k)).Distinct()],
            CkaTasks: _ => [tasks[0]], CkaAllLayers: true);
    }

    /// <summary>Every (method, seed) chain under <c>&lt;root&gt;/&lt;method&gt;-seed&lt;n&gt;/</c>.</summary>
    public static ProtocolResults Run(IReadOnlyList<string> tasks, IReadOnlyList<FineTuneConfig> methods, IReadOnlyList<int> seeds, ProtocolContext context, string root) =>
        new StagedFineTuning(Plan(tasks), context).Run(methods, seeds, root);
}
