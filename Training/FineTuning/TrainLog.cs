using System.Globalization;
using System.Text;
using Probing.Training.Infrastructure;

namespace Probing.Training.FineTuning;

/// <summary>One training step: total loss, each term of the method, learning rate, gradient norm, elapsed time.</summary>
public sealed record TrainLogRow(int Step, double Loss, IReadOnlyList<double> Terms, double LearningRate, double GradNorm, double ElapsedSeconds);

/// <summary>
/// <c>train_log.csv</c>, whose columns depend on the method's loss terms
/// (<c>step,loss,&lt;terms…&gt;,learning_rate,grad_norm,elapsed_seconds</c>). Values round-trip exactly.
/// </summary>
public static class TrainLog
{
    public const string FileName = "train_log.csv";

    public static void Write(string path, IReadOnlyList<string> termNames, IEnumerable<TrainLogRow> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', ["step", "loss", .. termNames, "learning_rate", "grad_norm", "elapsed_seconds"]).Append('\n');
        foreach (var row in rows)
            text.AppendJoin(',', [row.Step.ToString(CultureInfo.InvariantCulture), .. new[] { row.Loss }.Concat(row.Terms).Concat([row.LearningRate, row.GradNorm, row.ElapsedSeconds]).Select(Format)]).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    public static List<TrainLogRow> Read(string path, int termCount)
    {
        var lines = File.ReadAllLines(path);
        var rows = new List<TrainLogRow>();
        for (int i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            if (cells.Length != termCount + 5) throw InputError.AtLine(path, i + 1, $"expected {termCount + 5} columns, found {cells.Length}");
            var values = cells.Skip(1).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            rows.Add(new TrainLogRow(int.Parse(cells[0], CultureInfo.InvariantCulture), values[0], values[1..^3], values[^3], values[^2], values[^1]));
        }
        return rows;
    }

    static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
