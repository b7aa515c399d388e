using CsvHelper;
using Probing.Training.Data;
using Probing.Training.Infrastructure;

namespace Probing.Training.FineTuning;

/// <summary>One metric of one evaluation: <c>eval_log.csv</c> is long format, a row per (step, split, metric).</summary>
[CsvRecord]
public partial record EvalLogRow(int Step, string Split, string Metric, double Value);

/// <summary>An evaluation of the model on dev after <see cref="Step"/> optimizer steps.</summary>
public sealed record DevEvaluation(int Step, TaskScore Score) : IStepRow
{
    IEnumerable<(string Tag, double Value)> IStepRow.Scalars() => Score.Values.Select(v => ($"{EvalLog.DevSplit}/{TaskScore.Name(v.Key)}", v.Value));
}

/// <summary>
/// <c>eval_log.csv</c>: every dev evaluation of a fine-tuning run, one row per metric
/// (<c>step,split,metric,value</c>). Values are written with round-trip precision, so a resumed run
/// reads back exactly the scores it chose its best checkpoint by.
/// </summary>
public static class EvalLog
{
    public const string FileName = "eval_log.csv", DevSplit = "dev";

    public static void Write(string path, IEnumerable<DevEvaluation> evaluations) =>
        CsvTable.Write(path, evaluations.SelectMany(e => e.Score.Values.Select(v => new EvalLogRow(e.Step, DevSplit, TaskScore.Name(v.Key), v.Value))));

    /// <summary>The evaluations in the order they were made; a metric the task does not score is an error naming the file.</summary>
    public static List<DevEvaluation> Read(string path, TaskSpec spec)
    {
        var byName = spec.Metrics.ToDictionary(TaskScore.Name);
        var evaluations = new List<DevEvaluation>();
        foreach (var step in CsvTable.Read<EvalLogRow>(path).Where(r => r.Split == DevSplit).GroupBy(r => r.Step))
        {
            var values = new Dictionary<MetricKind, double>();
            foreach (var row in step)
            {
                if (!byName.TryGetValue(row.Metric, out var metric))
                    throw InputError.InFile(path, $"metric '{row.Metric}' at step {row.Step} is not one of {spec.Name}'s ({string.Join(", ", byName.Keys)})");
                values[metric] = row.Value;
            }
            if (!values.ContainsKey(spec.PrimaryMetric))
                throw InputError.InFile(path, $"step {step.Key} has no {TaskScore.Name(spec.PrimaryMetric)} (the primary metric of {spec.Name})");
            evaluations.Add(new DevEvaluation(step.Key, new TaskScore(spec.PrimaryMetric, values)));
        }
        return evaluations;
    }
}
