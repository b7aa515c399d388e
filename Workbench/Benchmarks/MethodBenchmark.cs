using CsvHelper;
using Probing.Training.Checkpoints;
using Probing.Training.Model;
using Probing.Training.Regularizers;
using static TorchSharp.torch;

namespace Probing.Workbench.Benchmarks;

/// <summary>
/// One method's step time beside standard fine-tuning's; <see cref="RatioPerTrainingPass"/> divides the
/// ratio by the student passes the method runs (teacher forwards are listed, not divided by).
/// </summary>
[CsvRecord]
public partial record MethodBenchRow(string Method, string Model, int Threads, int Batch, int Length, int Rounds, string Clock, double Milliseconds,
    double RatioToStandard, int TrainingPasses, int TeacherForwards, double RatioPerTrainingPass);

/// <summary>
/// Step time of every fine-tuning method beside standard fine-tuning, measured in interleaved rounds
/// in one process (so machine noise hits all methods alike), on the shipped base at the studies' batch and length.
/// </summary>
public sealed class MethodBenchmark(int rounds, BenchClock clock = BenchClock.Wall)
{
    /// <summary>The shipped base, or a randomly initialised model of its shape (2 × 128, 2 heads, FFN 512, vocab 9,086).</summary>
    public static (string Name, Encoder Encoder) DefaultModel()
    {
        if (File.Exists(Path.Combine(ModelFolder.ShippedBaseDirectory, EncoderCheckpoint.WeightsFile)))
            return ("shipped-base", ModelFolder.Resolve(null).LoadEncoder());
        var config = new EncoderConfig { VocabSize = 9086, MaxPositionEmbeddings = 128 };
        var encoder = new Encoder(config);
        Initialization.Apply(encoder, config, seed: 1);
        return ("random-2x128-vocab9086", encoder);
    }

    public List<MethodBenchRow> StepTimes(string modelName, Encoder start, int batch, int length, IReadOnlyList<string> methods)
    {
        var threads = get_num_threads();
        var steppers = new[] { "standard" }.Concat(methods.Where(m => m != "standard")).Select(kind => MethodStepper.Classifier(kind, start)).ToList();
        manual_seed(1);
        using var ids = randint(1000, start.Config.VocabSize, [batch, length], dtype: int64);
        using var types = zeros_like(ids);
        using var mask = ones_like(ids);
        using var labels = randint(0, 2, [batch], dtype: int64);
        var data = new ClassifierBatch(ids, types, mask, labels);
        var samples = steppers.ToDictionary(s => s.Kind, _ => new List<double>());
        for (int round = -1; round < rounds; round++)
            foreach (var stepper in steppers)
            {
                var ms = Timing.Milliseconds(() => stepper.Step(data), clock);
                if (round >= 0) samples[stepper.Kind].Add(ms);
            }
        var standard = Timing.Median(samples["standard"]);
        var rows = steppers.Select(s =>
        {
            var ms = Timing.Median(samples[s.Kind]);
            var options = MethodRegistry.Defaults(s.Kind);
            return new MethodBenchRow(s.Kind, modelName, threads, batch, length, rounds, clock.ToString().ToLowerInvariant(), Math.Round(ms, 2), Math.Round(ms / standard, 3),
                options.TrainingPasses, options.TeacherForwards, Math.Round(ms / standard / options.TrainingPasses, 3));
        }).ToList();
        foreach (var stepper in steppers) stepper.Dispose();
        return rows;
    }
}
