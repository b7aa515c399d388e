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
    public IReadOnlyList<Example> Train => Split("train");
    public IReadOnlyList<Example> Dev => Split("dev");
    public IReadOnlyList<Example>? Test => Splits.GetValueOrDefault("test");

    public IReadOnlyList<Example> Split(string name) =>
        Splits.TryGetValue(name, out var split) ? split
            : throw new ArgumentException($"task {Spec.Name} has no split '{name}' (it has {string.Join(", ", Splits.Keys)})");
}
