using Probing.Probing.Features;
using Probing.Training.Data.Embedded;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Probing.Probes;

/// <summary>
/// A more expressive probe: one ReLU hidden layer on standardized features, trained with AdamW in
/// seeded mini-batches. Weight decay is chosen from <see cref="WeightDecayGrid"/> and the epoch by
/// early stopping, both on the validation split; the best validation state is kept (no refit, since
/// the stopping epoch would not carry over to more data).
/// </summary>
public sealed class MlpProbe(int hidden = 256, int maxEpochs = 40, int patience = 4, int batchSize = 64, double learningRate = 3e-3) : IProbe
{
    public static readonly double[] WeightDecayGrid = [1e-4, 1e-2];

    public string Name => "mlp";

    public IFittedProbe Fit(ProbeProblem problem, int seed)
    {
        var standardizer = Standardizer.Fit(ProbeSplit.Concat(problem.Train, problem.Validation).Features);
        // Every tensor is held by a using: an untracked temporary can be finalized while native code reads it.
        using var standardized = standardizer.Apply(problem.Train.Features);
        using var xTrain = standardized.to(ScalarType.Float32);
        using var targetValues = problem.Spec.IsRegression
            ? tensor(problem.Train.Scores.Select(s => (float)s).ToArray())
            : tensor(problem.Train.Labels.Select(l => (long)l).ToArray());
        using var targets = problem.Spec.IsRegression ? targetValues.unsqueeze(1) : targetValues.alias();
        var outputs = problem.Spec.IsRegression ? 1 : problem.Spec.Labels.Count;
        Fitted? best = null;
        foreach (var decay in WeightDecayGrid)
        {
            var candidate = Train(problem, standardizer, xTrain, targets, outputs, decay, seed);
            if (best is null || candidate.ValidationScore > best.ValidationScore) best = candidate;
        }
        return best!;
    }

    Fitted Train(ProbeProblem problem, Standardizer standardizer, Tensor x, Tensor targets, int outputs, double decay, int seed)
    {
        var network = Network(x.shape[1], outputs, seed);
        using var optimizer = optim.AdamW(network.parameters(), lr: learningRate, weight_decay: decay);
        var order = Enumerable.Range(0, (int)x.shape[0]).ToArray();
        var random = new StableRandom((ulong)seed * 7919 + 17);
        var fitted = new Fitted(standardizer, network, problem.Spec.IsRegression, decay);
        var best = (Score: double.NegativeInfinity, Epoch: -1, State: Snapshot(network));
        for (var epoch = 0; epoch < maxEpochs && epoch - best.Epoch <= patience; epoch++)
        {
            network.train();
            random.Shuffle(order);
            for (var start = 0; start < order.Length; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var rows = tensor(order[start..Math.Min(start + batchSize, order.Length)].Select(i => (long)i).ToArray());
                var output = network.forward(x.index_select(0, rows));
                var batchTargets = targets.index_select(0, rows);
                var loss = problem.Spec.IsRegression ? nn.functional.mse_loss(output, batchTargets) : nn.functional.cross_entropy(output, batchTargets);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
            var score = fitted.Predict(problem.Validation.Features).Score(problem.Spec, problem.Validation).Primary;
            if (double.IsNaN(score)) score = double.NegativeInfinity;
            if (score > best.Score)
            {
                foreach (var tensor in best.State.Values) tensor.Dispose();
                best = (score, epoch, Snapshot(network));
            }
        }
        network.load_state_dict(best.State);
        foreach (var tensor in best.State.Values) tensor.Dispose();
        fitted.ValidationScore = best.Score;
        return fitted;
    }

    /// <summary>He-initialised weights drawn from a seeded generator (nn.init ignores generators in TorchSharp 0.107).</summary>
    Sequential Network(long inputs, int outputs, int seed)
    {
        var first = nn.Linear(inputs, hidden);
        var second = nn.Linear(hidden, outputs);
        using var generator = new Generator((ulong)seed);
        using (no_grad())
        {
            foreach (var layer in new[] { first, second })
            {
                using var draw = randn(layer.weight!.shape, generator: generator);
                layer.weight.copy_(draw.mul_(Math.Sqrt(2.0 / layer.weight.shape[1])));
                layer.bias!.zero_();
            }
        }
        return nn.Sequential(first, nn.ReLU(), second);
    }

    static Dictionary<string, Tensor> Snapshot(nn.Module network) =>
        network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    sealed class Fitted(Standardizer standardizer, Sequential network, bool regression, double decay) : IFittedProbe
    {
        public double Regularization => decay;
        public double ValidationScore { get; set; }

        public ProbePredictions Predict(FeatureMatrix features)
        {
            network.eval();
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var output = network.forward(standardizer.Apply(features).to(ScalarType.Float32));
            return regression
                ? new ProbePredictions(null, [.. output.squeeze(1).data<float>().ToArray().Select(v => (double)v)])
                : new ProbePredictions([.. output.argmax(1).data<long>().ToArray().Select(v => (int)v)], null);
        }
    }
}
