namespace Probing.Training.Text;

/// <summary>One encoded input with its special tokens: [CLS] a [SEP] (b [SEP]); type id 0 for a, 1 for b.</summary>
public sealed record EncodedText(int[] Ids, int[] TypeIds);
