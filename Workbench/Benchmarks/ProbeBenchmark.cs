using System.Diagnostics;
using CsvHelper;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Protocols;
using Probing.Training.Data;

namespace Probing.Workbench.Benchmarks;

/// <summary>One measurement of <c>bench probe</c>; <see cref="Ratio"/> is against the encoder forward (protocol rows) or scikit-learn (fit rows).</summary>
[CsvRecord]
public partial record ProbeBenchRow(string Measurement, string Task, string Implementation, int Threads, double Milliseconds, double? TestAccuracy, double? Ratio);

/// <summary>
/// How much a generalization probe costs beyond the encoder: the whole protocol on one model with a
/// cold and a warm feature cache, divided by one plain encoder forward over the same texts; the same
/// extraction into a cold cache without the fits (so a cold probe's excess splits into cache and fits);
/// and the linear probe's fit beside scikit-learn's on the same features, same C.
/// </summary>
public sealed class ProbeBenchmark(ProbedModel model, ProbeSettings settings, int batchSize, Action<string> log)
{
    public IEnumerable<ProbeBenchRow> Protocol(string scratch)
    {
        var threads = TorchSharp.torch.get_num_threads();
        var forwardMs = Time(() => ExtractEverySplit(null));
        log(FormattableString.Invariant($"encoder forward over every split: {forwardMs / 1000:F1} s"));
        yield return new ProbeBenchRow("encoder-forward", "all", "torchsharp", threads, Math.Round(forwardMs, 1), null, 1);

        // The cold cache's share of a cold probe: the same extraction, each matrix written to its own cache
        // (checksum, fsync, rename). What a cold probe costs beyond this row is the probe fits.
        var featuresMs = Time(() => ExtractEverySplit(Path.Combine(scratch, "features-only")));
        log(FormattableString.Invariant($"features into a cold cache, no fits: {featuresMs / 1000:F1} s = {featuresMs / forwardMs:F2} × forward"));
        yield return new ProbeBenchRow("features-cold-cache", "all", "torchsharp", threads, Math.Round(featuresMs, 1), null, Math.Round(featuresMs / forwardMs, 3));

        var cache = Path.Combine(scratch, "cache");
        foreach (var phase in new[] { "probe-cold-cache", "probe-warm-cache" })
        {
            var ms = Time(() =>
            {
                using var store = new FeatureStore(cache, batchSize);
                new GeneralizationProbe(store, ProbeRegistry.Default).Run([model], settings);
            });
            log(FormattableString.Invariant($"{phase}: {ms / 1000:F1} s = {ms / forwardMs:F2} × forward"));
            yield return new ProbeBenchRow(phase, "all", "torchsharp", threads, Math.Round(ms, 1), null, Math.Round(ms / forwardMs, 3));
        }
    }

    /// <summary>Our fit (standardize + L-BFGS at the C the probe chose) per task; writes the same features as .npy for the Python side.</summary>
    public IEnumerable<(ProbeBenchRow Row, double C)> Fits(string scratch, int repeats)
    {
        var threads = TorchSharp.torch.get_num_threads();
        using var store = new FeatureStore(Path.Combine(scratch, "cache"), batchSize);
        foreach (var taskName in settings.Tasks)
        {
            var data = TaskCatalog.Load(taskName, settings.GlueDir);
            if (data.Spec.IsRegression || data.Test is null) continue;
            var layer = settings.Layers.Resolve(model.Source.Config.NumHiddenLayers).Max();
            var train = store.Get(model.Source, data.Spec.Name, "train", data.Train, [layer], settings.Pooling, settings.MaxLength)[layer];
            var test = store.Get(model.Source, data.Spec.Name, "test", data.Test, [layer], settings.Pooling, settings.MaxLength)[layer];
            var (trainRows, validationRows) = TrainingSample.Draw(data.Spec.Name, settings.Seeds[0], data.Train.Count, null, settings.ValidationFraction);
            var all = ProbeSplit.Of(train, data.Train);
            var c = new LinearProbe().Fit(new ProbeProblem(data.Spec, all.Select(trainRows), all.Select(validationRows)), settings.Seeds[0]).Regularization;

            SoftmaxRegression? regression = null;
            Standardizer? standardizer = null;
            var ms = Enumerable.Range(0, repeats).Select(_ => Time(() =>
            {
                standardizer = Standardizer.Fit(train);
                using var x = standardizer.Apply(train);
                regression = SoftmaxRegression.Fit(x, all.Labels, data.Spec.Labels.Count, c);
            })).Order().ElementAt(repeats / 2);
            using var xTest = standardizer!.Apply(test);
            var predicted = regression!.Predict(xTest);
            var accuracy = predicted.Zip(data.Test).Average(p => p.First == p.Second.Label ? 1.0 : 0);

            NpyFile.Write(Path.Combine(scratch, $"{data.Spec.Name}.train.x.npy"), train.Data, train.Rows, train.Columns);
            NpyFile.Write(Path.Combine(scratch, $"{data.Spec.Name}.train.y.npy"), [.. data.Train.Select(e => (long)e.Label)]);
            NpyFile.Write(Path.Combine(scratch, $"{data.Spec.Name}.test.x.npy"), test.Data, test.Rows, test.Columns);
            NpyFile.Write(Path.Combine(scratch, $"{data.Spec.Name}.test.y.npy"), [.. data.Test.Select(e => (long)e.Label)]);
            log(FormattableString.Invariant($"{data.Spec.Name}: fit {train.Rows} × {train.Columns}, C={c}: {ms:F0} ms ({regression.Iterations} iterations), test accuracy {accuracy:F4}"));
            yield return (new ProbeBenchRow("fit", data.Spec.Name, "torchsharp", threads, Math.Round(ms, 1), accuracy, null), c);
        }
    }

    void ExtractEverySplit(string? cacheDirectory)
    {
        using var store = new FeatureStore(cacheDirectory, batchSize);
        var layers = settings.Layers.Resolve(model.Source.Config.NumHiddenLayers);
        foreach (var task in settings.Tasks.Select(t => TaskCatalog.Load(t, settings.GlueDir)))
            foreach (var (split, examples) in task.Splits)
                store.Get(model.Source, task.Spec.Name, split, examples, layers, settings.Pooling, settings.MaxLength);
    }

    static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }
}
