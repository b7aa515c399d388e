using Probing.Training.Text;

namespace Probing.Training.Pretraining;

/// <summary>
/// Token sequences of one fixed length, packed as BERT packs its pretraining data: the corpus's
/// tokens in order, cut into chunks of <c>length − 2</c> and wrapped in [CLS] … [SEP]. No padding.
/// </summary>
public sealed class PackedSequences
{
    readonly int[] tokens;

    public PackedSequences(int[] tokens, int length)
    {
        if (tokens.Length % length != 0) throw new ArgumentException("token count is not a multiple of the length");
        this.tokens = tokens;
        Length = length;
    }

    public int Length { get; }
    public int Count => tokens.Length / Length;
    public ReadOnlySpan<int> Tokens => tokens;
    public ReadOnlySpan<int> Sequence(int index) => tokens.AsSpan(index * Length, Length);

    public static PackedSequences Pack(IReadOnlyList<string> lines, ITextTokenizer tokenizer, int length)
    {
        var pieces = new int[lines.Count][];
        Parallel.For(0, lines.Count, i => pieces[i] = tokenizer.Tokenize(lines[i]));

        var body = length - 2;
        long total = pieces.Sum(p => (long)p.Length);
        var count = (int)(total / body);
        var packed = new int[count * length];
        int sequence = 0, filled = 0;
        foreach (var line in pieces)
        {
            foreach (var id in line)
            {
                if (sequence == count) break;
                if (filled == 0) packed[sequence * length] = tokenizer.ClsId;
                packed[sequence * length + 1 + filled++] = id;
                if (filled == body)
                {
                    packed[sequence * length + length - 1] = tokenizer.SepId;
                    sequence++;
                    filled = 0;
                }
            }
        }
        return new PackedSequences(packed, length);
    }

    /// <summary>The most frequent regular (non-special) token: the unigram baseline of the evaluations.</summary>
    public int MostFrequentToken(ITextTokenizer tokenizer)
    {
        var counts = new long[tokenizer.VocabSize];
        foreach (var id in tokens) counts[id]++;
        int best = -1;
        for (int id = 0; id < counts.Length; id++)
            if (!tokenizer.IsSpecial(id) && (best < 0 || counts[id] > counts[best])) best = id;
        return best;
    }

    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(Length);
        writer.Write(tokens.Length);
        foreach (var id in tokens) writer.Write(id);
    }

    public static PackedSequences ReadFrom(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        var tokens = new int[reader.ReadInt32()];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = reader.ReadInt32();
        return new PackedSequences(tokens, length);
    }
}
