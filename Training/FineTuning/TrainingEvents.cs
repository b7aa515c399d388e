using Probing.Training.Infrastructure;

namespace Probing.Training.FineTuning;

/// <summary>
/// The TensorBoard scalars of a fine-tuning run's steps, as its CSV logs hold them: <c>train/loss</c>, each
/// term of the method (<c>train/&lt;term&gt;</c>), <c>train/learning_rate</c>, <c>train/grad_norm</c>, and at
/// evaluated steps the evaluation's metrics (<c>dev/accuracy</c>, <c>dev/rouge1</c>, …).
/// </summary>
public static class TrainingEvents
{
    /// <summary>The steps after <paramref name="after"/>; each is dated from its elapsed seconds, as far back from now as it was from <paramref name="elapsedNow"/>.</summary>
    public static IEnumerable<EventStep> Steps<TEval>(IEnumerable<TrainLogRow> log, IReadOnlyList<string> termNames, IEnumerable<TEval> evaluations, int after, double elapsedNow)
        where TEval : IStepRow
    {
        var now = TensorBoardEvents.Now();
        var evaluated = evaluations.Where(e => e.Step > after).GroupBy(e => e.Step).ToDictionary(g => g.Key, g => g.SelectMany(e => e.Scalars()).ToList());
        foreach (var row in log.Where(r => r.Step > after))
        {
            List<(string, double)> values = [("train/loss", row.Loss), .. termNames.Select((name, i) => ($"train/{name}", row.Terms[i])),
                ("train/learning_rate", row.LearningRate), ("train/grad_norm", row.GradNorm), .. evaluated.GetValueOrDefault(row.Step) ?? []];
            yield return new EventStep(row.Step, now - (elapsedNow - row.ElapsedSeconds), values);
        }
    }
}
