using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using Probing.Training.Infrastructure;

namespace Probing.Training.Text;

/// <summary>
/// RoBERTa's byte-level BPE (Hugging Face <c>RobertaTokenizer</c> ids) from a model folder's
/// <c>vocab.json</c> and <c>merges.txt</c>. Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/> in
/// byte-level mode does the merges; GPT-2's pre-tokenizer regex is given explicitly, because the
/// library's own GPT-2-style tokenizer splits runs of whitespace differently. Inputs read
/// <c>&lt;s&gt; a &lt;/s&gt;</c> and <c>&lt;s&gt; a &lt;/s&gt;&lt;/s&gt; b &lt;/s&gt;</c>, all of token type 0.
/// </summary>
public sealed partial class ByteLevelBpeTextTokenizer : ITextTokenizer
{
    public const string VocabularyFile = "vocab.json";
    public const string MergesFile = "merges.txt";

    const string Start = "<s>", End = "</s>", Pad = "<pad>", Unknown = "<unk>", Mask = "<mask>";
    static readonly string[] Specials = [Start, End, Pad, Unknown, Mask];

    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex Gpt2Pattern();

    readonly BpeTokenizer bpe;
    readonly Dictionary<string, int> ids;
    readonly string[] pieces;
    readonly int[] specialIds;

    ByteLevelBpeTextTokenizer(Dictionary<string, int> ids, string[] pieces, BpeTokenizer bpe, string vocabularyPath)
    {
        this.ids = ids;
        this.pieces = pieces;
        this.bpe = bpe;
        int Require(string piece) => ids.TryGetValue(piece, out var id) ? id : throw InputError.InFile(vocabularyPath, $"vocabulary lacks the special token {piece}");
        ClsId = Require(Start);
        SepId = Require(End);
        PadId = Require(Pad);
        UnkId = Require(Unknown);
        MaskId = Require(Mask);
        specialIds = [ClsId, SepId, PadId, UnkId, MaskId];
    }

    /// <summary>Loads <c>vocab.json</c> + <c>merges.txt</c>; a missing or malformed file is an <see cref="InputError"/> naming it.</summary>
    public static ByteLevelBpeTextTokenizer FromFiles(string vocabularyPath, string mergesPath)
    {
        var ids = ReadVocabulary(vocabularyPath);
        var pieces = new string[ids.Count];
        foreach (var (piece, id) in ids)
        {
            if (id < 0 || id >= ids.Count || pieces[id] is not null)
                throw InputError.InFile(vocabularyPath, $"id {id} of '{piece}' is a duplicate or outside 0..{ids.Count - 1}: ids must number the pieces from 0");
            pieces[id] = piece;
        }
        if (!File.Exists(mergesPath)) throw InputError.InFile(mergesPath, "file not found");
        BpeTokenizer bpe;
        try
        {
            bpe = BpeTokenizer.Create(new BpeOptions(vocabularyPath, mergesPath)
            {
                ByteLevel = true,
                PreTokenizer = new RegexPreTokenizer(Gpt2Pattern(), specialTokens: null),
            });
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or IOException)
        {
            throw InputError.InFile(mergesPath, $"not a readable BPE merges file ({e.Message.Split('\n')[0]})");
        }
        return new ByteLevelBpeTextTokenizer(ids, pieces, bpe, vocabularyPath)
        {
            fileContents = (File.ReadAllBytes(vocabularyPath), File.ReadAllBytes(mergesPath)),
        };
    }

    (byte[] Vocabulary, byte[] Merges) fileContents;

    /// <summary>Writes the tokenizer's two files, byte for byte as they were read, into a model folder.</summary>
    public void WriteFiles(string directory)
    {
        AtomicFile.Write(Path.Combine(directory, VocabularyFile), temp => File.WriteAllBytes(temp, fileContents.Vocabulary));
        AtomicFile.Write(Path.Combine(directory, MergesFile), temp => File.WriteAllBytes(temp, fileContents.Merges));
    }

    static Dictionary<string, int> ReadVocabulary(string path)
    {
        if (!File.Exists(path)) throw InputError.InFile(path, "file not found");
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(path))
                ?? throw InputError.InFile(path, "expected a JSON object of piece → id");
        }
        catch (JsonException e)
        {
            throw InputError.InFile(path, $"expected a JSON object of piece → id ({e.Message.Split(" Path:")[0]})");
        }
    }

    public int VocabSize => pieces.Length;
    public int PadId { get; }
    public int UnkId { get; }
    public int ClsId { get; }
    public int SepId { get; }
    public int MaskId { get; }
    public IReadOnlyList<string> Vocabulary => pieces;

    public bool IsSpecial(int id) => specialIds.Contains(id);

    public int[] Tokenize(string text)
    {
        var result = new List<int>();
        var segments = SpecialTokenSplitter.Split(text, Specials, ids).ToList();
        for (int i = 0; i < segments.Count; i++)
        {
            var (segment, specialId) = segments[i];
            if (specialId is { } id)
            {
                result.Add(id);
                continue;
            }
            // Hugging Face's <mask> is an added token with lstrip: it swallows the spaces before it.
            if (i + 1 < segments.Count && segments[i + 1].SpecialId == MaskId) segment = segment.TrimEnd();
            if (segment.Length > 0) result.AddRange(bpe.EncodeToIds(segment));
        }
        return [.. result];
    }

    public EncodedText Encode(string text, string? pair = null, int maxLength = 128) =>
        PairTemplate.Roberta(ClsId, SepId).Encode(Tokenize(text), pair is null ? null : Tokenize(pair), maxLength);

    /// <summary>
    /// Pieces concatenated, each character mapped back to the byte it stands for, the bytes read as
    /// UTF-8 (invalid sequences become U+FFFD, as Hugging Face's <c>errors="replace"</c>): the exact
    /// inverse of <see cref="Tokenize"/>, so no spaces are cleaned up.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in ids.Where(id => !IsSpecial(id)))
            foreach (var character in pieces[id])
                bytes.Add(ByteOf.TryGetValue(character, out var value) ? value : throw new ArgumentException($"piece {pieces[id]} is not byte-level"));
        return System.Text.Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>GPT-2's byte ↔ character table: printable bytes stand for themselves, the other 68 for U+0100 onwards, in byte order.</summary>
    static readonly Dictionary<char, byte> ByteOf = BuildByteTable();

    static Dictionary<char, byte> BuildByteTable()
    {
        var table = new Dictionary<char, byte>();
        var next = 256;
        for (int b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[printable ? (char)b : (char)next++] = (byte)b;
        }
        return table;
    }
}
