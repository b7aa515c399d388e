using Probing.Training.FineTuning;

namespace Probing.Probing.Protocols;

/// <summary>
/// The degradation chain: sequential fine-tuning along a chain of tasks (SST-2 → QNLI → QQP → RTE on a
/// GLUE folder; on the embedded suite four tasks the shipped base learns in a stage), each stage
/// starting from the previous stage's encoder with a fresh head.
/// At stage 0 (the base) the first task is probed; after stage k the first k tasks (the first task,
/// every earlier one, and the one just fine-tuned). CKA to the base on the first task's dev inputs at every layer.
/// </summary>
public static class DegradationChain
{
    public const string Protocol = "chain";
    public const string Folder = "chains";

    /// <summary>
    /// The embedded default: a single-sentence task whose base probe starts above its majority class
    /// (sotu-era: 46–50 % against 36 %, 19–21 points above random features), then the stand-ins of QQP,
    /// QNLI and RTE, which standard and R4F both learned one after another in 300 steps at 1e-3
    /// (docs/collapse.md). QQP's stand-in comes before QNLI's: right after sotu-era, R4F did not learn
    /// word-usage-proxy (50 %), after field-pair-proxy it did. Not fine-foods (its base probe sits at its
    /// majority rate), not qnli-, qqp- or rte-proxy (not learned in a stage), not fortune-category first
    /// (after it neither word-usage- nor field-pair-proxy was learned).
    /// </summary>
    public static IReadOnlyList<string> DefaultTasks { get; } = ["sotu-era", "field-pair-proxy", "word-usage-proxy", "excerpt-nli-proxy"];

    /// <summary>The paper's chain, for a GLUE folder (<c>--data-dir</c> or $GLUE_DIR).</summary>
    public static IReadOnlyList<string> GlueTasks { get; } = ["sst2", "qnli", "qqp", "rte"];

    /// <summary>The chain used when none is named: the paper's on a GLUE folder, the embedded one otherwise.</summary>
    public static IReadOnlyList<string> DefaultFor(string? glueDirectory) => glueDirectory is null ? DefaultTasks : GlueTasks;

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
