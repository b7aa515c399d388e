using Probing.Training.Data.Summarization;
using Probing.Training.Infrastructure;

namespace Probing.Training.Data.Embedded;

/// <summary>
/// debian-headlines: headline generation from Debian's package descriptions (Gigaword-like:
/// short, partly extractive targets). Source: a package's long description; target: its one-line
/// synopsis. The source file assigns every group of packages sharing a first paragraph (lib, -dev,
/// -doc variants of one project) to one split; this keeps that split, refuses a file where a group
/// crosses splits, and takes at most one package per group, so the near-twins of a group never
/// sit in two splits and the documents a bootstrap resamples are not copies of each other. As for
/// every embedded task, test is drawn first, then dev, then train; a group is passed over when any
/// of its packages shares a normalised synopsis or description with any package of a group already
/// drawn for a later split (so openjdk-11's group stays out of train when openjdk-17's, with the
/// same synopses, is in test), or when its pick repeats a document of its own split.
/// </summary>
public static class DebianHeadlines
{
    public const string Name = "debian-headlines";
    public const string SourceFile = "debian_descriptions.tsv.gz";
    public static readonly SplitSampler.Sizes Sizes = new(Train: 10_000, Dev: 1_000, Test: 1_000);

    public static IReadOnlyDictionary<string, IReadOnlyList<SummaryExample>> Build(SourceFiles sources)
    {
        var groups = Groups(sources.DebianDescriptions, Path.Combine(sources.Directory, SourceFile));
        var random = StableRandom.For(Name);
        var reserved = new HashSet<string>(StringComparer.Ordinal);
        var result = new Dictionary<string, IReadOnlyList<SummaryExample>>();
        foreach (var split in new[] { SplitAssignment.Test, SplitAssignment.Dev, SplitAssignment.Train })
        {
            var pool = groups.Where(g => g.Split == split).ToList();
            random.Shuffle(pool);
            var documents = new HashSet<string>(StringComparer.Ordinal);
            var chosen = new List<SummaryExample>();
            var chosenGroups = new List<Group>();
            foreach (var group in pool)
            {
                if (chosen.Count == Sizes.For(split)) break;
                var row = group.Rows[random.Next(group.Rows.Count)];
                if (Texts(group).Any(reserved.Contains) || !documents.Add(TextKey.Normalize(row[4]))) continue;
                chosen.Add(new SummaryExample(Document: row[4], Summary: row[3]));
                chosenGroups.Add(group);
            }
            foreach (var group in chosenGroups) reserved.UnionWith(Texts(group));
            result[split] = chosen;
        }
        return SplitAssignment.Names.ToDictionary(s => s, s => result[s]);
    }

    sealed record Group(string Key, string Split, List<string[]> Rows);

    /// <summary>Every package's synopsis and description in the group, normalised.</summary>
    static IEnumerable<string> Texts(Group group) => group.Rows.SelectMany(r => new[] { TextKey.Normalize(r[3]), TextKey.Normalize(r[4]) });

    /// <summary>The source's groups in file order; a group in two splits or an unknown split is an error.</summary>
    static List<Group> Groups(IReadOnlyList<string[]> rows, string path)
    {
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        var ordered = new List<Group>();
        foreach (var row in rows)
        {
            var (split, key, package) = (row[0], row[1], row[2]);
            if (!SplitAssignment.Names.Contains(split))
                throw InputError.InFile(path, $"package {package}: unknown split '{split}' (expected {string.Join(", ", SplitAssignment.Names)})");
            if (row[3].Length == 0 || row[4].Length == 0) throw InputError.InFile(path, $"package {package}: empty synopsis or description");
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = new Group(key, split, []);
                ordered.Add(group);
            }
            else if (group.Split != split)
                throw InputError.InFile(path, $"group {key} crosses splits: {group.Rows[0][2]} is in {group.Split}, {package} in {split}");
            group.Rows.Add(row);
        }
        return ordered;
    }
}
