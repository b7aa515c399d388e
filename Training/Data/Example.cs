namespace Probing.Training.Data;

/// <summary>
/// One labelled example. <see cref="Text2"/> is null for single-sentence tasks. Classification
/// tasks set <see cref="Label"/> to an index into <see cref="TaskSpec.Labels"/>; regression tasks
/// set <see cref="Label"/> to -1 and carry the target in <see cref="Score"/>.
/// </summary>
public sealed record Example(string Text1, string? Text2, int Label, double Score)
{
    public static Example Classified(string text1, string? text2, int label) => new(text1, text2, label, label);
    public static Example Scored(string text1, string? text2, double score) => new(text1, text2, -1, score);
}

/// <summary>
/// A loaded task: its spec and its labelled splits in file order. Every task has "train" and
/// "dev"; embedded tasks also have "test"; GLUE MNLI adds "dev_mismatched".
/// </summary>
public sealed record TaskData(TaskSpec Spec, IReadOnlyDictionary<string, IReadOnlyList<Example>> Splits)
{
    /// <summary>Unlabelled sets whose predictions go to a benchmark's server (GLUE's test files); empty for most tasks.</summary>
    public IReadOnlyList<UnlabeledSet> Unlabeled { get; init; } = [];

    /// <summary>Labelled evaluation splits beside dev, scored with the same model (MNLI's dev_mismatched).</summary>
    public IEnumerable<string> ExtraDevSplits => Splits.Keys.Where(name => name.StartsWith("dev_", StringComparison.Ordinal));

    public IReadOnlyList<Example> Train => Split("train");
    public IReadOnlyList<Example> Dev => Split("dev");
    public IReadOnlyList<Example>? Test => Splits.GetValueOrDefault("test");

    public IReadOnlyList<Example> Split(string name) =>
        Splits.TryGetValue(name, out var split) ? split
            : throw new ArgumentException($"task {Spec.Name} has no split '{name}' (it has {string.Join(", ", Splits.Keys)})");
}

/// <summary>
/// Texts without labels, each with the index the benchmark names it by, and the file its predictions
/// go to (e.g. GLUE's <c>MNLI-m.tsv</c>). <see cref="Source"/> is the file they were read from.
/// </summary>
public sealed record UnlabeledSet(string Submission, string Source, IReadOnlyList<string> Indices, IReadOnlyList<(string Text1, string? Text2)> Texts);
