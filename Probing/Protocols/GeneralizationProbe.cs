using Probing.Probing.Controls;
using Probing.Probing.Features;
using Probing.Probing.Probes;
using Probing.Probing.Similarity;
using Probing.Training.Data;
using Probing.Training.Infrastructure;
using Probing.Training.Model;

namespace Probing.Probing.Protocols;

/// <summary>Everything one probing pass produced.</summary>
public sealed record ProbeResults(IReadOnlyList<ProbeRow> Probes, IReadOnlyList<CkaRow> Cka);

/// <summary>
/// The generalization probe: frozen features of every model on every task, a probe per (seed, layer),
/// scored on dev and test, with control-task selectivity and linear CKA of each layer to the
/// reference model (the base) on the dev inputs. Later protocols (chain, retention) call
/// <see cref="ProbeTask"/> once per stage with their own <see cref="ProbeStage"/>.
/// </summary>
public sealed class GeneralizationProbe(FeatureStore store, ProbeRegistry registry, Action<string>? log = null)
{
    public ProbeResults Run(IReadOnlyList<ProbedModel> models, ProbeSettings settings, ProbedModel? reference = null, ProbeStage? stage = null)
    {
        stage ??= ProbeStage.Generalization;
        var probes = new List<ProbeRow>();
        var cka = new List<CkaRow>();
        foreach (var taskName in settings.Tasks)
        {
            var data = TaskCatalog.Load(taskName, settings.GlueDir);
            var (taskProbes, taskCka) = ProbeTask(data, models, settings, reference, stage);
            probes.AddRange(taskProbes);
            cka.AddRange(taskCka);
        }
        return new ProbeResults(probes, cka);
    }

    public (List<ProbeRow> Probes, List<CkaRow> Cka) ProbeTask(TaskData data, IReadOnlyList<ProbedModel> models, ProbeSettings settings,
        ProbedModel? reference, ProbeStage stage)
    {
        var spec = data.Spec;
        var probe = registry.Create(settings.Probe);
        var control = settings.Controls && !spec.IsRegression ? ControlTask.For(spec, data.Train) : null;
        var probes = new List<ProbeRow>();
        var devFeatures = new Dictionary<ProbedModel, IReadOnlyDictionary<int, FeatureMatrix>>();
        foreach (var model in models)
        {
            var layers = settings.Layers.Resolve(model.Source.Config.NumHiddenLayers);
            IReadOnlyDictionary<int, FeatureMatrix> Features(string split, IReadOnlyList<Example> examples) =>
                store.Get(model.Source, spec.Name, split, examples, layers, settings.Pooling, settings.MaxLength);
            // With a train limit only the sampled rows are encoded: the rest of a 6,000-example split would cost forwards for nothing.
            var sampled = TrainingSample.RowsOfAllSeeds(spec.Name, settings.Seeds, data.Train.Count, settings.TrainLimit, settings.ValidationFraction);
            var trainExamples = sampled.Select(row => data.Train[row]).ToList();
            var position = sampled.Select((row, index) => (row, index)).ToDictionary(p => p.row, p => p.index);
            var train = Features("train", trainExamples);
            var dev = devFeatures[model] = Features("dev", data.Dev);
            var test = data.Test is { } testExamples ? Features("test", testExamples) : null;
            foreach (var seed in settings.Seeds)
            {
                var (trainRows, validationRows) = TrainingSample.Draw(spec.Name, seed, data.Train.Count, settings.TrainLimit, settings.ValidationFraction);
                foreach (var layer in layers)
                {
                    var all = ProbeSplit.Of(train[layer], trainExamples);
                    var problem = new ProbeProblem(spec, all.Select([.. trainRows.Select(r => position[r])]), all.Select([.. validationRows.Select(r => position[r])]));
                    var devSplit = ProbeSplit.Of(dev[layer], data.Dev);
                    var fitted = probe.Fit(problem, seed);
                    var devScore = fitted.Predict(devSplit.Features).Score(spec, devSplit).Primary;
                    double? testScore = test is null ? null : fitted.Predict(test[layer]).Score(spec, ProbeSplit.Of(test[layer], data.Test!)).Primary;
                    double? controlScore = control is null ? null : ControlScore(probe, problem, devSplit, control, data, trainRows, validationRows, seed);
                    var code = settings.Mdl && !spec.IsRegression ? OnlineCode.Measure(Coder(probe), problem) : null;
                    var controlCode = settings.Mdl && control is not null ? OnlineCode.Measure(Coder(probe), WithControlLabels(problem, control, data, trainRows, validationRows)) : null;
                    probes.Add(new ProbeRow(stage.Protocol, model.Method, stage.Name, stage.Index, model.Source.Name, model.Role, model.Source.ContentHash[..12],
                        seed, spec.Name, layer, settings.Pooling.ToString().ToLowerInvariant(), probe.Name,
                        TaskScore.Name(spec.PrimaryMetric), devScore, testScore, controlScore, devScore - controlScore,
                        trainRows.Length, validationRows.Length, fitted.Regularization,
                        code?.OnlineBits, code?.UniformBits, code?.Compression, controlCode?.Compression));
                    log?.Invoke(FormattableString.Invariant($"{spec.Name} {model.Source.Name} seed {seed} layer {layer}: dev {devScore:F4}") +
                        (testScore is { } t ? FormattableString.Invariant($" test {t:F4}") : "") +
                        (controlScore is { } c ? FormattableString.Invariant($" control {c:F4}") : ""));
                }
            }
        }
        var cka = reference is null ? [] : Similarities(spec, data.Dev.Count, devFeatures, reference, settings, stage);
        return (probes, cka);
    }

    /// <summary>The same probe, fitted on the same rows with control labels, scored on dev's control labels.</summary>
    static double ControlScore(IProbe probe, ProbeProblem problem, ProbeSplit dev, ControlTask control, TaskData data, int[] trainRows, int[] validationRows, int seed)
    {
        var controlDev = dev.WithLabels(control.Labels(data.Dev));
        return probe.Fit(WithControlLabels(problem, control, data, trainRows, validationRows), seed).Predict(controlDev.Features).Score(problem.Spec, controlDev).Primary;
    }

    static ProbeProblem WithControlLabels(ProbeProblem problem, ControlTask control, TaskData data, int[] trainRows, int[] validationRows)
    {
        var labels = control.Labels(data.Train);
        return problem with
        {
            Train = problem.Train.WithLabels([.. trainRows.Select(r => labels[r])]),
            Validation = problem.Validation.WithLabels([.. validationRows.Select(r => labels[r])]),
        };
    }

    static ILabelCoder Coder(IProbe probe) => probe as ILabelCoder
        ?? throw new InputError($"--mdl: the {probe.Name} probe gives no label probabilities for the online code; use --probe linear");

    static List<CkaRow> Similarities(TaskSpec spec, int examples, Dictionary<ProbedModel, IReadOnlyDictionary<int, FeatureMatrix>> devFeatures,
        ProbedModel reference, ProbeSettings settings, ProbeStage stage)
    {
        var rows = new List<CkaRow>();
        if (!devFeatures.TryGetValue(reference, out var referenceFeatures)) return rows;
        foreach (var (model, features) in devFeatures)
        {
            if (ReferenceEquals(model, reference)) continue;
            rows.AddRange(CkaRows(spec, examples, model, features, reference, referenceFeatures, settings.Pooling, stage));
        }
        return rows;
    }

    static IEnumerable<CkaRow> CkaRows(TaskSpec spec, int examples, ProbedModel model, IReadOnlyDictionary<int, FeatureMatrix> features,
        ProbedModel reference, IReadOnlyDictionary<int, FeatureMatrix> referenceFeatures, Pooling pooling, ProbeStage stage)
    {
        foreach (var (layer, matrix) in features.OrderBy(f => f.Key))
            if (referenceFeatures.TryGetValue(layer, out var referenceMatrix))
                yield return new CkaRow(stage.Protocol, model.Method, model.Seed, stage.Name, stage.Index, model.Source.Name, model.Role, reference.Source.Name,
                    spec.Name, "dev", layer, pooling.ToString().ToLowerInvariant(), examples, LinearCka.Compute(referenceMatrix, matrix));
    }

    /// <summary>Linear CKA of <paramref name="model"/> to <paramref name="reference"/> on the task's dev inputs, at each of <paramref name="layers"/>.</summary>
    public List<CkaRow> Similarity(TaskData data, ProbedModel model, ProbedModel reference, IReadOnlyList<int> layers, ProbeSettings settings, ProbeStage stage)
    {
        IReadOnlyDictionary<int, FeatureMatrix> Dev(ProbedModel m) => store.Get(m.Source, data.Spec.Name, "dev", data.Dev, layers, settings.Pooling, settings.MaxLength);
        return [.. CkaRows(data.Spec, data.Dev.Count, model, Dev(model), reference, Dev(reference), settings.Pooling, stage)];
    }
}
