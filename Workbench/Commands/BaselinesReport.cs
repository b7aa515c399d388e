using System.Globalization;
using System.Text;
using Probing.Training.Data;
using Probing.Training.Evaluation;

namespace Probing.Workbench.Commands;

/// <summary>Renders the sanity baselines of the embedded tasks as data/BASELINES.md.</summary>
public static class BaselinesReport
{
    public static string Markdown(IReadOnlyList<TaskBaselines.Result> results)
    {
        var text = new StringBuilder();
        text.AppendLine("# Sanity baselines of the embedded tasks");
        text.AppendLine();
        text.AppendLine("Written by `workbench tasks baselines` (deterministic; rerun it after `workbench tasks build`).");
        text.AppendLine("Scores use each task's primary metric. *Majority* predicts train's most frequent label;");
        text.AppendLine("*length only* is a logistic regression that sees only bucketed word/character counts, the final");
        text.AppendLine("punctuation mark and (for pairs) the length difference, so a proxy whose classes it separates");
        text.AppendLine("would be trivially solvable; *bag of words* is a logistic regression on hashed unigrams and");
        text.AppendLine("bigrams (2^18 buckets; for pairs tagged by side, plus the words both texts share), trained by SGD");
        text.AppendLine("in a fixed order for 8 epochs, L2 picked on dev from {1e-6, 1e-5, 1e-4}.");
        text.AppendLine();
        text.AppendLine("| task | metric | majority dev | length only dev | bag of words dev | bag of words test | L2 |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Spec.Name} | {TaskScore.Name(r.Spec.PrimaryMetric)} | {r.Majority.Dev:F3} | {r.LengthOnly.Dev:F3} | {r.BagOfWords.Dev:F3} | {r.BagOfWords.Test:F3} | {r.ChosenL2:0e0} |"));
        return text.ToString();
    }
}
