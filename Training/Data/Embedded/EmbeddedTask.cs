using Probing.Training.Data.Summarization;

namespace Probing.Training.Data.Embedded;

/// <summary>
/// One task of the offline suite: its spec, the GLUE task it stands in for in the paper
/// protocols (null if none), where its text comes from, and the builder that makes its splits.
/// </summary>
public sealed record EmbeddedTask(TaskSpec Spec, string? StandsInFor, string Source, ITaskBuilder Builder);

/// <summary>Builds a task's train/dev/test splits deterministically from the source files.</summary>
public interface ITaskBuilder
{
    BuiltTask Build(SourceFiles sources);
}

/// <summary>
/// A built task: its splits, plus texts that are not fields of any dev/test example but must
/// still be kept out of pretraining (e.g. the originals of corrupted CoLA-proxy sentences).
/// </summary>
public sealed record BuiltTask(IReadOnlyDictionary<string, IReadOnlyList<Example>> Splits, IReadOnlyList<string> ExtraHeldOut);

/// <summary>
/// One sequence-to-sequence task of the offline suite: its name, what it asks, its source file
/// and the builder that makes its train/dev/test splits deterministically.
/// </summary>
public sealed record EmbeddedSummarizationTask(
    string Name,
    string Description,
    string Source,
    Func<SourceFiles, IReadOnlyDictionary<string, IReadOnlyList<SummaryExample>>> Build);
