namespace Probing.Training.Data.Glue;

/// <summary>
/// Every GLUE task as the official files (the GLUE download script's layout) have it, with the
/// official metrics. Train and dev are labelled splits; the unlabelled test files (read when present)
/// are what a GLUE submission predicts (<see cref="GlueFormat.TestFiles"/>). MNLI is one task with
/// dev = dev_matched plus a "dev_mismatched" split, and its model also predicts MNLI-m, MNLI-mm and the
/// diagnostic set AX; "mnli-mm" evaluates on mismatched.
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

    static readonly string[] SentenceTest = ["index", "sentence"];
    static readonly string[] PairTest = ["index", "sentence1", "sentence2"];

    static GlueTestFile[] Test(string folder, string[] header, int text1, int? text2, string submission) =>
        [new($"{folder}/test.tsv", header, text1, text2, submission)];

    public static readonly IReadOnlyList<GlueFormat> All =
    [
        new(Spec("cola", false, Binary, [MetricKind.Matthews, MetricKind.Accuracy], "GLUE CoLA: linguistic acceptability"),
            "CoLA", TrainDev, Header: null, Text1Column: 3, Text2Column: null, LabelColumn: 1) { TestFiles = Test("CoLA", SentenceTest, 1, null, "CoLA.tsv") },
        new(Spec("sst2", false, Binary, [MetricKind.Accuracy], "GLUE SST-2: movie review sentiment"),
            "SST-2", TrainDev, ["sentence", "label"], 0, null, 1) { TestFiles = Test("SST-2", SentenceTest, 1, null, "SST-2.tsv") },
        new(Spec("mrpc", true, Binary, [MetricKind.F1, MetricKind.Accuracy], "GLUE MRPC: paraphrase"),
            "MRPC", TrainDev, ["Quality", "#1 ID", "#2 ID", "#1 String", "#2 String"], 3, 4, 0)
            { TestFiles = Test("MRPC", ["index", "#1 ID", "#2 ID", "#1 String", "#2 String"], 3, 4, "MRPC.tsv") },
        new(Spec("stsb", true, [], [MetricKind.Pearson, MetricKind.Spearman], "GLUE STS-B: similarity score 0-5"),
            "STS-B", TrainDev, ["index", "genre", "filename", "year", "old_index", "source1", "source2", "sentence1", "sentence2", "score"], 7, 8, 9)
            { TestFiles = Test("STS-B", ["index", "genre", "filename", "year", "old_index", "source1", "source2", "sentence1", "sentence2"], 7, 8, "STS-B.tsv") },
        new(Spec("qqp", true, Binary, [MetricKind.F1, MetricKind.Accuracy], "GLUE QQP: duplicate questions"),
            "QQP", TrainDev, ["id", "qid1", "qid2", "question1", "question2", "is_duplicate"], 3, 4, 5, SkipsIncompleteLines: true)
            { TestFiles = Test("QQP", ["id", "question1", "question2"], 1, 2, "QQP.tsv") },
        new(Spec("mnli", true, Nli, [MetricKind.Accuracy], "GLUE MNLI: entailment, dev = matched"),
            "MNLI", [("train", "train.tsv"), ("dev", "dev_matched.tsv"), ("dev_mismatched", "dev_mismatched.tsv")], MnliHeader, 8, 9, -1)
            {
                TestFiles =
                [
                    new("MNLI/test_matched.tsv", MnliHeader, 8, 9, "MNLI-m.tsv"),
                    new("MNLI/test_mismatched.tsv", MnliHeader, 8, 9, "MNLI-mm.tsv"),
                    new("diagnostic/diagnostic.tsv", PairTest, 1, 2, "AX.tsv"),
                ],
            },
        new(Spec("mnli-mm", true, Nli, [MetricKind.Accuracy], "GLUE MNLI: entailment, dev = mismatched"),
            "MNLI", [("train", "train.tsv"), ("dev", "dev_mismatched.tsv")], MnliHeader, 8, 9, -1),
        new(Spec("qnli", true, Entailment, [MetricKind.Accuracy], "GLUE QNLI: does the sentence answer the question", positive: 0),
            "QNLI", TrainDev, ["index", "question", "sentence", "label"], 1, 2, 3) { TestFiles = Test("QNLI", ["index", "question", "sentence"], 1, 2, "QNLI.tsv") },
        new(Spec("rte", true, Entailment, [MetricKind.Accuracy], "GLUE RTE: entailment", positive: 0),
            "RTE", TrainDev, ["index", "sentence1", "sentence2", "label"], 1, 2, 3) { TestFiles = Test("RTE", PairTest, 1, 2, "RTE.tsv") },
        new(Spec("wnli", true, Binary, [MetricKind.Accuracy], "GLUE WNLI: pronoun resolution entailment"),
            "WNLI", TrainDev, ["index", "sentence1", "sentence2", "label"], 1, 2, 3) { TestFiles = Test("WNLI", PairTest, 1, 2, "WNLI.tsv") },
    ];

    public static GlueFormat? Find(string name) => All.FirstOrDefault(f => TaskCatalog.SameName(f.Spec.Name, name));
}
