using Probing.Training.Data.Summarization;
using Probing.Training.Infrastructure;

namespace Probing.Training.Data.Embedded;

/// <summary>
/// The offline task suite: real single-sentence tasks and sentence-pair proxies, plus the
/// sequence-to-sequence (summarization) tasks, built from the files in <c>data/sources/</c> and
/// committed under <c>data/tasks/&lt;name&gt;/</c> (see data/TASKS.md).
/// </summary>
public static class EmbeddedSuite
{
    static TaskSpec Spec(string name, bool pair, string[] labels, string description, params MetricKind[] metrics) =>
        new(name, pair, labels, metrics.Length > 0 ? metrics : [MetricKind.Accuracy], description);

    public static readonly IReadOnlyList<EmbeddedTask> Tasks =
    [
        new(Spec("fine-foods", false, ["other", "great"], "Amazon fine-food review: 5 stars (great) or fewer"),
            "SST-2", "fine_foods.tsv.gz", RealTasks.FineFoods),
        new(Spec("spam-subjects", false, ["ham", "spam"], "SpamAssassin e-mail subject: spam or ham", MetricKind.Accuracy, MetricKind.F1),
            null, "spamassassin_subjects.tsv.gz", RealTasks.SpamSubjects),
        new(Spec("brown-genre", false, ["press", "general", "learned", "fiction"], "Brown corpus sentence: coarse genre of its document"),
            null, "brown_genre.tsv.gz", RealTasks.BrownGenre),
        new(Spec("sotu-party", false, ["democratic", "republican"], "State of the Union sentence: party of the president"),
            null, "sotu_sentences.tsv.gz", RealTasks.SotuParty),
        new(Spec("fortune-category", false, ["computers", "politics", "science", "men-women"], "fortune(6) quotation: its category"),
            null, "fortunes.tsv.gz", RealTasks.FortuneCategory),
        new(Spec("qnli-proxy", true, QnliProxyBuilder.Labels, "PROXY: 'What does w mean?' + a WordNet definition of w or of a related sense"),
            "QNLI", "wordnet/data.*.gz", new QnliProxyBuilder()),
        new(Spec("qqp-proxy", true, QqpProxyBuilder.Labels, "PROXY: WordNet definition + example of the same synset or of another sense sharing a word", MetricKind.Accuracy, MetricKind.F1),
            "QQP", "wordnet/data.*.gz", new QqpProxyBuilder()),
        new(Spec("rte-proxy", true, NextSentenceProxyBuilder.Labels, "PROXY: is the second SOTU sentence the next one after the first"),
            "RTE", "sotu_sentences.tsv.gz", new NextSentenceProxyBuilder()),
        new(Spec("cola-proxy", false, ColaProxyBuilder.Labels, "PROXY: a Brown sentence as written or with words swapped, shuffled, moved or dropped", MetricKind.Matthews, MetricKind.Accuracy),
            "CoLA", "brown_genre.tsv.gz", new ColaProxyBuilder()),
        new(Spec("sotu-era", false, RelabelledTasks.SotuEras, "sotu-party's sentences: era of the speech's year"),
            null, "sotu-party texts, sotu_sentences.tsv.gz", RelabelledTasks.SotuEraTask),
        new(Spec("brown-category", false, RelabelledTasks.BrownCategories, "brown-genre's sentences: Brown category of the document (humor dropped)"),
            null, "brown-genre texts, brown_genre.tsv.gz", RelabelledTasks.BrownCategory),
        new(Spec("wordnet-field", false, RelabelledTasks.WordNetFields, "qnli-proxy's WordNet definitions: lexicographer file of the synset (8 most frequent)"),
            null, "qnli-proxy texts, wordnet/data.*.gz", RelabelledTasks.WordNetFieldTask),
        new(Spec("word-usage-proxy", true, WordUsageProxyBuilder.Labels, "PROXY: 'What does w mean?' + a WordNet example sentence that uses w or one that does not"),
            "QNLI", "qqp-proxy texts, wordnet/data.*.gz", new WordUsageProxyBuilder()),
        new(Spec("excerpt-nli-proxy", true, ExcerptNliProxyBuilder.Labels, "PROXY: a SOTU sentence and 6-12 consecutive words of it or of another sentence of the speech"),
            "RTE", "sotu_sentences.tsv.gz", new ExcerptNliProxyBuilder()),
        new(Spec("field-pair-proxy", true, FieldPairProxyBuilder.Labels, "PROXY: two WordNet definitions of the same lexicographer field or of two different ones"),
            "QQP", "wordnet-field texts, wordnet/data.*.gz", new FieldPairProxyBuilder()),
    ];

    /// <summary>The sequence-to-sequence tasks; kept apart from <see cref="Tasks"/>, whose consumers expect labels.</summary>
    public static readonly IReadOnlyList<EmbeddedSummarizationTask> SummarizationTasks =
    [
        new(DebianHeadlines.Name, "Debian package description: its one-line synopsis (headline generation)", DebianHeadlines.SourceFile, DebianHeadlines.Build),
    ];

    public static string DefaultTasksDir => ProjectPaths.Data("tasks");
    public static string DefaultSourcesDir => ProjectPaths.Data("sources");

    public static EmbeddedTask? Find(string name) => Tasks.FirstOrDefault(t => TaskCatalog.SameName(t.Spec.Name, name));

    public static TaskData Load(EmbeddedTask task, string? tasksDir = null) =>
        TaskFiles.Read(Path.Combine(tasksDir ?? DefaultTasksDir, task.Spec.Name), task.Spec);

    public static EmbeddedSummarizationTask? FindSummarization(string name) => SummarizationTasks.FirstOrDefault(t => TaskCatalog.SameName(t.Name, name));

    public static SummarizationTask Load(EmbeddedSummarizationTask task, string? tasksDir = null) =>
        SummaryTaskFiles.Read(Path.Combine(tasksDir ?? DefaultTasksDir, task.Name), task.Name);

    /// <summary>
    /// Every text of every embedded task's dev and test split (and the extra held-out texts),
    /// classification and summarization alike (documents and summaries), as
    /// <see cref="TextKey.Normalize"/> keys: pretraining drops corpus lines whose key is in this set.
    /// </summary>
    public static IReadOnlySet<string> HeldOutTexts(string? tasksDir = null)
    {
        var keys = HeldOutKeys(Tasks, tasksDir);
        keys.UnionWith(HeldOutTexts(SummarizationTasks, tasksDir));
        return keys;
    }

    /// <summary>The files <see cref="HeldOutTexts(string?)"/> reads, relative to the tasks folder: what a pretraining run's identity hashes.</summary>
    public static IReadOnlyList<string> HeldOutFiles(string? tasksDir = null) =>
        [.. Tasks.Select(task => task.Spec.Name).Concat(SummarizationTasks.Select(task => task.Name))
            .SelectMany(name => new[] { "dev.tsv.gz", "test.tsv.gz", TaskFiles.ExtraHeldOutFile }.Select(file => Path.Combine(name, file)))
            .Where(file => File.Exists(Path.Combine(tasksDir ?? DefaultTasksDir, file)))];

    /// <summary>The held-out keys of the given classification tasks only.</summary>
    public static IReadOnlySet<string> HeldOutTexts(IEnumerable<EmbeddedTask> tasks, string? tasksDir = null) => HeldOutKeys(tasks, tasksDir);

    /// <summary>The held-out keys of the given summarization tasks only: every dev and test document and summary.</summary>
    public static IReadOnlySet<string> HeldOutTexts(IEnumerable<EmbeddedSummarizationTask> tasks, string? tasksDir = null)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            var data = Load(task, tasksDir);
            foreach (var example in data.Dev.Concat(data.Test!))
            {
                keys.Add(TextKey.Normalize(example.Document));
                keys.Add(TextKey.Normalize(example.Summary));
            }
        }
        return keys;
    }

    static HashSet<string> HeldOutKeys(IEnumerable<EmbeddedTask> tasks, string? tasksDir)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            var dir = Path.Combine(tasksDir ?? DefaultTasksDir, task.Spec.Name);
            var data = TaskFiles.Read(dir, task.Spec);
            foreach (var example in data.Dev.Concat(data.Test!))
            {
                keys.Add(TextKey.Normalize(example.Text1));
                if (example.Text2 != null) keys.Add(TextKey.Normalize(example.Text2));
            }
            keys.UnionWith(TaskFiles.ReadExtraHeldOut(dir).Select(TextKey.Normalize));
        }
        return keys;
    }

    /// <summary>Whether <paramref name="name"/> is an embedded task of either kind.</summary>
    public static bool Contains(string name) => Find(name) != null || FindSummarization(name) != null;

    /// <summary>Builds every task (or the named ones), classification and summarization, from the sources and writes their folders.</summary>
    public static void Build(string sourcesDir, string tasksDir, IReadOnlyCollection<string>? only = null, Action<string>? log = null)
    {
        bool Wanted(string name) => only == null || only.Count == 0 || only.Any(n => TaskCatalog.SameName(n, name));
        var sources = new SourceFiles(sourcesDir);
        foreach (var task in Tasks.Where(t => Wanted(t.Spec.Name)))
        {
            var built = task.Builder.Build(sources);
            TaskFiles.Write(Path.Combine(tasksDir, task.Spec.Name), task.Spec, built);
            log?.Invoke($"{task.Spec.Name}: " + string.Join(", ", built.Splits.Select(s => $"{s.Key} {s.Value.Count}")));
        }
        foreach (var task in SummarizationTasks.Where(t => Wanted(t.Name)))
        {
            var splits = task.Build(sources);
            SummaryTaskFiles.Write(Path.Combine(tasksDir, task.Name), splits);
            log?.Invoke($"{task.Name}: " + string.Join(", ", splits.Select(s => $"{s.Key} {s.Value.Count}")));
        }
    }
}
