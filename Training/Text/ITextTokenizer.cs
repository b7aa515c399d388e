namespace Probing.Training.Text;

/// <summary>Turns text into the ids a BERT-style encoder reads.</summary>
public interface ITextTokenizer
{
    int VocabSize { get; }
    int PadId { get; }
    int UnkId { get; }
    int ClsId { get; }
    int SepId { get; }
    int MaskId { get; }

    /// <summary>The piece of every id, in id order.</summary>
    IReadOnlyList<string> Vocabulary { get; }

    /// <summary>Piece ids of <paramref name="text"/>, without [CLS] or [SEP].</summary>
    int[] Tokenize(string text);

    /// <summary>
    /// [CLS] text [SEP] (pair [SEP]), truncated longest-first so that the result has at most
    /// <paramref name="maxLength"/> ids.
    /// </summary>
    EncodedText Encode(string text, string? pair = null, int maxLength = 128);

    bool IsSpecial(int id);

    /// <summary>
    /// The text of <paramref name="ids"/> with special tokens skipped, as Hugging Face's
    /// <c>decode(ids, skip_special_tokens=True)</c> gives it.
    /// </summary>
    string Decode(IEnumerable<int> ids);
}
