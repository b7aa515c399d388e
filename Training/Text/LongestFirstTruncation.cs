namespace Probing.Training.Text;

/// <summary>
/// Hugging Face's "longest_first" truncation: drop the last token of the longer sequence, one at a
/// time, until both fit. On a tie the second sequence loses the token, as in transformers'
/// <c>truncate_sequences</c>.
/// </summary>
static class LongestFirstTruncation
{
    public static (int First, int Second) Lengths(int first, int second, int budget)
    {
        while (first + second > budget)
        {
            if (first > second) first--;
            else second--;
        }
        return (first, second);
    }
}
