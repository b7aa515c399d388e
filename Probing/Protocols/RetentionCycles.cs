using Probing.Training.FineTuning;

namespace Probing.Probing.Protocols;

/// <summary>
/// Retention cycles: N tasks fine-tuned in turn for C cycles (N × C stages), each stage starting from
/// the previous stage's encoder with a fresh head. At stage 0 (the base) and after every stage, every
/// task is probed, so each task's probe score shows up again every time it comes round. CKA to the
/// base on the first task's dev inputs at every layer.
/// </summary>
public static class RetentionCycles
{
    public const string Protocol = "retention";
    public const string Folder = "cycles";
    public const int DefaultCycles = 3;

    public static IReadOnlyList<string> DefaultTasks => DegradationChain.DefaultTasks;

    public static StagePlan Plan(IReadOnlyList<string> tasks, int cycles)
    {
        if (tasks.Count == 0) throw new ArgumentException("retention needs at least one task", nameof(tasks));
        if (cycles < 1) throw new ArgumentOutOfRangeException(nameof(cycles), "at least one cycle");
        IReadOnlyList<string> distinct = [.. tasks.Distinct()];
        return new(Protocol, [.. Enumerable.Repeat(tasks, cycles).SelectMany(t => t)], ProbeBase: true,
            ProbedTasks: _ => distinct, CkaTasks: _ => [tasks[0]], CkaAllLayers: true);
    }

    public static ProtocolResults Run(IReadOnlyList<string> tasks, int cycles, IReadOnlyList<FineTuneConfig> methods, IReadOnlyList<int> seeds, ProtocolContext context, string root) =>
        new StagedFineTuning(Plan(tasks, cycles), context).Run(methods, seeds, root);
}
