namespace Probing.Training.Data.Glue;

/// <summary>
/// Every GLUE task as the official files (the GLUE download script's layout) have it, with the
/// official metrics. Test files carry no labels, so only train and dev are read. MNLI is one
/// task with dev = dev_matched plus a "dev_mismatched" split; "mnli-mm" evaluates on mismatched.
/// </summary>
public static class GlueTasks
{
    static readonly string[] Binary = ["0", "1"];
    static readonly string[] Entailment = ["entailment", "not_entailment"];
    static readonly string[] Nli = ["entailment", "neutral", "contradiction"];
    static readonly (string, string)[] TrainDev = [("train", "train.tsv"), ("dev", "dev.tsv")];

    static TaskSpec Spec(string name, bool pair, string[] labels, MetricKind[] metrics, string description, int positive = 1) =>
        new(name, pair, labels, metrics, description, positive);

    /// <summary>
    /// MNLI's header names the first ten columns; train has 12 columns (label1, gold_label) and
    /// dev 16 (label1..label5, gold_label), so only this prefix is checked. Declared
    /// before <see cref="All"/>, which reads it during static initialisation.
    /// </summary>
    public static readonly IReadOnlyList<string> MnliHeader =
    [
        "index", "promptID", "pairID", "genre", "sentence1_binary_parse", "sentence2_binary_parse",
        "sentence1_parse", "sentence2_parse", "sentence1", "sentence2",
    ];

    public static readonly IReadOnlyList<GlueFormat> All =
    [
        new(Spec("cola", false, Binary, [MetricKind.Matthews, MetricKind.Accuracy], "GLUE CoLA: linguistic acceptability"),
            "CoLA", TrainDev, Header: null, Text1Column: 3, Text2Column: null, LabelColumn: 1),
        new(Spec("sst2", false, Binary, [MetricKind.Accuracy], "GLUE SST-2: movie review sentiment"),
            "SST-2", TrainDev, ["sentence", "label"], 0, null, 1),
        new(Spec("mrpc", true, Binary, [MetricKind.F1, MetricKind.Accuracy], "GLUE MRPC: paraphrase"),
            "MRPC", TrainDev, ["Quality", "#1 ID", "#2 ID", "#1 String", "#2 String"], 3, 4, 0),
        new(Spec("stsb", true, [], [MetricKind.Pearson, MetricKind.Spearman], "GLUE STS-B: similarity score 0-5"),
            "STS-B", TrainDev, ["index", "genre", "filename", "year", "old_index", "source1", "source2", "sentence1", "sentence2", "score"], 7, 8, 9),
        new(Spec("qqp", true, Binary, [MetricKind.F1, MetricKind.Accuracy], "GLUE QQP: duplicate questions"),
            "QQP", TrainDev, ["id", "qid1", "qid2", "question1", "question2", "is_duplicate"], 3, 4, 5, SkipsIncompleteLines: true),
        new(Spec("mnli", true, Nli, [MetricKind.Accuracy], "GLUE MNLI: entailment, dev = matched"),
            "MNLI", [("train", "train.tsv"), ("dev", "dev_matched.tsv"), ("dev_mismatched", "dev_mismatched.tsv")], MnliHeader, 8, 9, -1),
        new(Spec("mnli-mm", true, Nli, [MetricKind.Accuracy], "GLUE MNLI: entailment, dev = mismatched"),
            "MNLI", [("train", "train.tsv"), ("dev", "dev_mismatched.tsv")], MnliHeader, 8, 9, -1),
        new(Spec("qnli", true, Entailment, [MetricKind.Accuracy], "GLUE QNLI: does the sentence answer the question", positive: 0),
            "QNLI", TrainDev, ["index", "question", "sentence", "label"], 1, 2, 3),
        new(Spec("rte", true, Entailment, [MetricKind.Accuracy], "GLUE RTE: entailment", positive: 0),
            "RTE", TrainDev, ["index", "sentence1", "sentence2", "label"], 1, 2, 3),
        new(Spec("wnli", true, Binary, [MetricKind.Accuracy], "GLUE WNLI: pronoun resolution entailment"),
            "WNLI", TrainDev, ["index", "sentence1", "sentence2", "label"], 1, 2, 3),
    ];

    public static GlueFormat? Find(string name) => All.FirstOrDefault(f => TaskCatalog.SameName(f.Spec.Name, name));
}
