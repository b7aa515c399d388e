using System.Globalization;

namespace Probing.Training.Data.Embedded;

/// <summary>
/// Probe tasks that are relabelled views of other tasks' texts (<see cref="RelabelledTaskBuilder"/>),
/// so they add no dev/test text to what pretraining already holds out. Labels and why they were
/// chosen: data/TASKS.md.
/// </summary>
public static class RelabelledTasks
{
    /// <summary>
    /// The era of a speech's year. sotu-party's speeches run 1829–2021 (Democratic and Republican
    /// presidents); the boundaries are the quartiles of the years of its 8,000 texts, so the four
    /// eras are 25% each over all three splits (within a split they are not: speeches are whole).
    /// </summary>
    public static readonly string[] SotuEras = ["1829-1889", "1890-1924", "1925-1974", "1975-2021"];

    public static string SotuEra(int year) =>
        year < 1890 ? SotuEras[0] : year < 1925 ? SotuEras[1] : year < 1975 ? SotuEras[2] : SotuEras[3];

    /// <summary>The 15 Brown categories in the corpus's order (A–R) but humor, which has 6 sentences in brown-genre's dev split.</summary>
    public static readonly string[] BrownCategories =
    [
        "news", "editorial", "reviews", "religion", "hobbies", "lore", "belles_lettres", "government", "learned",
        "fiction", "mystery", "science_fiction", "adventure", "romance",
    ];

    /// <summary>
    /// The eight most frequent lexicographer files among qnli-proxy's definitions (all noun files;
    /// together about 60% of its distinct definitions), named without the "noun." prefix.
    /// </summary>
    public static readonly string[] WordNetFields = ["person", "artifact", "act", "animal", "plant", "communication", "state", "attribute"];

    /// <summary>"noun.person" → "person"; verb, adjective and adverb files keep their prefix, so verb.communication is not communication.</summary>
    public static string WordNetField(string lexFile) => lexFile.StartsWith("noun.", StringComparison.Ordinal) ? lexFile["noun.".Length..] : lexFile;

    public static readonly ITaskBuilder SotuEraTask = new RelabelledTaskBuilder("sotu-era", RealTasks.SotuParty, e => e.Text1,
        s => s.Sotu.Select(r => ((string?)SplitAssignment.Of(RealTasks.SpeechGroup(r[0], r[1]), RealTasks.SotuHeldOut, RealTasks.SotuHeldOut),
            r[3], SotuEra(int.Parse(r[0], CultureInfo.InvariantCulture)))),
        SotuEras);

    public static readonly ITaskBuilder BrownCategory = new RelabelledTaskBuilder("brown-category", RealTasks.BrownGenre, e => e.Text1,
        s => s.Brown.Select(r => ((string?)SplitAssignment.Of(RealTasks.BrownGroup(r[0]), RealTasks.BrownHeldOut, RealTasks.BrownHeldOut), r[2], r[1])),
        BrownCategories);

    /// <summary>qnli-proxy's definitions (text2, both labels); a definition shared by synsets of different files is dropped.</summary>
    public static readonly ITaskBuilder WordNetFieldTask = new RelabelledTaskBuilder("wordnet-field", new QnliProxyBuilder(), e => e.Text2!,
        s => s.WordNet.Select(synset => ((string?)null, synset.Definition, WordNetField(synset.LexFile))),
        WordNetFields);
}
