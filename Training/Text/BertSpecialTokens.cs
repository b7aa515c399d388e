namespace Probing.Training.Text;

/// <summary>The special pieces every BERT vocabulary must hold.</summary>
public static class BertSpecialTokens
{
    public const string Pad = "[PAD]";
    public const string Unknown = "[UNK]";
    public const string Classifier = "[CLS]";
    public const string Separator = "[SEP]";
    public const string Mask = "[MASK]";

    public static readonly IReadOnlyList<string> All = [Pad, Unknown, Classifier, Separator, Mask];
}
