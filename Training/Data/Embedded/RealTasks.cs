namespace Probing.Training.Data.Embedded;

/// <summary>The real single-sentence tasks of the suite: which source rows, labels, groups and sizes.</summary>
public static class RealTasks
{
    /// <summary>Shared by every Brown- and SOTU-based task, so they hold out the same documents and speeches.</summary>
    public const double BrownHeldOut = 0.15, SotuHeldOut = 0.15;

    public static string BrownGroup(string doc) => "brown|" + doc;
    public static string SpeechGroup(string year, string president) => $"sotu|{year}|{president}";

    static readonly Dictionary<string, string> BrownCoarseGenre = new()
    {
        ["news"] = "press", ["editorial"] = "press", ["reviews"] = "press",
        ["belles_lettres"] = "general", ["hobbies"] = "general", ["lore"] = "general", ["religion"] = "general",
        ["learned"] = "learned", ["government"] = "learned",
        ["fiction"] = "fiction", ["mystery"] = "fiction", ["science_fiction"] = "fiction",
        ["adventure"] = "fiction", ["romance"] = "fiction", ["humor"] = "fiction",
    };

    public static readonly ITaskBuilder FineFoods = new SingleSentenceBuilder("fine-foods",
        s => s.FineFoods.Select(r => ("product|" + r[2], r[1], r[3])),
        ["other", "great"], 0.2, new(3000, 1000, 1000), balanced: false);

    public static readonly ITaskBuilder SpamSubjects = new SingleSentenceBuilder("spam-subjects",
        s => s.SpamSubjects.Select(r => ("subject|" + TextKey.Normalize(r[2]), r[1], r[2])),
        ["ham", "spam"], 0.25, new(6000, 1000, 1000), balanced: false);

    public static readonly ITaskBuilder BrownGenre = new SingleSentenceBuilder("brown-genre",
        s => s.Brown.Where(r => SingleSentenceBuilder.WordCount(r[2]) is >= 8 and <= 60)
            .Select(r => (BrownGroup(r[0]), BrownCoarseGenre[r[1]], r[2])),
        ["press", "general", "learned", "fiction"], BrownHeldOut, new(6000, 1000, 1000), balanced: true);

    public static readonly ITaskBuilder SotuParty = new SingleSentenceBuilder("sotu-party",
        s => s.Sotu.Where(r => SingleSentenceBuilder.WordCount(r[3]) is >= 8 and <= 60)
            .Select(r => (SpeechGroup(r[0], r[1]), r[2].ToLowerInvariant(), r[3])),
        ["democratic", "republican"], SotuHeldOut, new(6000, 1000, 1000), balanced: true);

    public static readonly ITaskBuilder FortuneCategory = new SingleSentenceBuilder("fortune-category",
        s => s.Fortunes.Where(r => SingleSentenceBuilder.WordCount(r[1]) <= 80)
            .Select(r => ("fortune|" + TextKey.Normalize(r[1]), r[0], r[1])),
        ["computers", "politics", "science", "men-women"], 0.2, new(6000, 1000, 1000), balanced: false);
}
