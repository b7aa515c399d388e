namespace Probing.Training.Text;

/// <summary>
/// Encoded texts padded to the longest in the batch, as row-major [BatchSize, Length] arrays
/// ready to become tensors. AttentionMask is 1 on real tokens and 0 on padding.
/// </summary>
public sealed record TokenBatch(long[] Ids, long[] TypeIds, long[] AttentionMask, int BatchSize, int Length)
{
    public static TokenBatch Pad(IReadOnlyList<EncodedText> items, int padId)
    {
        int length = items.Count == 0 ? 0 : items.Max(item => item.Ids.Length);
        var ids = new long[items.Count * length];
        var typeIds = new long[items.Count * length];
        var mask = new long[items.Count * length];
        Array.Fill(ids, padId);
        for (int row = 0; row < items.Count; row++)
        {
            var item = items[row];
            int start = row * length;
            for (int i = 0; i < item.Ids.Length; i++)
            {
                ids[start + i] = item.Ids[i];
                typeIds[start + i] = item.TypeIds[i];
                mask[start + i] = 1;
            }
        }
        return new TokenBatch(ids, typeIds, mask, items.Count, length);
    }
}
