namespace Probing.Training.Text;

/// <summary>
/// How a model family frames one text or a pair with special tokens, after longest-first truncation:
/// BERT <c>[CLS] a [SEP] b [SEP]</c> with segment ids 0 then 1; RoBERTa <c>&lt;s&gt; a &lt;/s&gt;&lt;/s&gt; b &lt;/s&gt;</c>
/// with a single segment.
/// </summary>
public sealed record PairTemplate(int Start, int Separator, bool DoubleSeparatorBetweenTexts, bool SecondTextIsSegmentOne)
{
    public static PairTemplate Bert(int cls, int sep) => new(cls, sep, DoubleSeparatorBetweenTexts: false, SecondTextIsSegmentOne: true);
    public static PairTemplate Roberta(int start, int end) => new(start, end, DoubleSeparatorBetweenTexts: true, SecondTextIsSegmentOne: false);

    public EncodedText Encode(int[] first, int[]? second, int maxLength)
    {
        int specialCount = second is null ? 2 : DoubleSeparatorBetweenTexts ? 4 : 3;
        if (maxLength < specialCount)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"must leave room for the {specialCount} special tokens");
        var (firstLength, secondLength) = LongestFirstTruncation.Lengths(first.Length, second?.Length ?? 0, maxLength - specialCount);
        var ids = new List<int>(maxLength) { Start };
        ids.AddRange(first.Take(firstLength));
        ids.Add(Separator);
        var firstSegmentLength = ids.Count;
        if (second is not null)
        {
            if (DoubleSeparatorBetweenTexts) ids.Add(Separator);
            ids.AddRange(second.Take(secondLength));
            ids.Add(Separator);
        }
        var typeIds = Enumerable.Range(0, ids.Count).Select(i => SecondTextIsSegmentOne && i >= firstSegmentLength ? 1 : 0).ToArray();
        return new EncodedText([.. ids], typeIds);
    }
}
