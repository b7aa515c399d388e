using System.CommandLine;
using Probing.Probing.Protocols;
using Probing.Training.Data;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Training.Regularizers;
using Probing.Workbench.Experiments;

namespace Probing.Workbench.Commands;

/// <summary>
/// The fine-tuning options of the protocols (<c>probe --methods</c>, <c>chain</c>, <c>retention</c>):
/// <c>--methods</c>, <c>--seeds</c> (run seeds: they seed fine-tuning and the probe's sampling),
/// <c>--setting gentle|aggressive</c>, <c>--set key=value</c> on the FineTuneConfig, and the collapse
/// curve (<c>--curve-every</c>, <c>--curve-tasks</c>, <c>--curve-dev-limit</c>).
/// </summary>
public sealed class ProtocolOptions
{
    /// <summary>
    /// Learning rates of the named settings: aggressive is where standard fine-tuning visibly collapses
    /// the shipped base; moderate is where it learns every task of the embedded chain (docs/collapse.md).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, double> Settings = new Dictionary<string, double> { ["gentle"] = 2e-4, ["moderate"] = 1e-3, ["aggressive"] = 3e-3 };

    /// <summary>
    /// The protocols' fine-tuning defaults: short runs (150 steps, dev every 50) so the quickstart scale
    /// runs in minutes on 2 cores; <c>--set max_steps=0 --set epochs=3</c> goes back to epochs.
    /// </summary>
    public static FineTuneConfig Defaults(string setting, int maxLength) => new()
    {
        MaxSteps = 150, EvalEvery = 50, CheckpointEvery = 50, MaxLength = maxLength, LearningRate = Settings[setting],
    };

    public Option<string[]> Methods { get; }
    public Option<string[]> Seeds { get; } = new("--seeds")
    {
        Description = "Run seeds (fine-tuning and probe sampling), e.g. 1 2 3 or 1-5",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => ["1"],
    };
    public Option<string> Setting { get; } = new("--setting")
    {
        Description = "Named fine-tuning setting: gentle (learning_rate 2e-4), moderate (1e-3) or aggressive (3e-3); --set overrides it",
        DefaultValueFactory = _ => "gentle",
    };
    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Override a fine-tuning config key, e.g. --set learning_rate=1e-3 --set max_steps=300 --set method.eps=1e-3 (method.* keys go to the methods that have them)",
        DefaultValueFactory = _ => [],
    };

    public Option<int> CurveEvery { get; } = new("--curve-every")
    {
        Description = "Collapse curve: probe the encoder being fine-tuned every N steps (and at step 0 and the last step), warm-started linear probes at the deepest probed layer; writes curve.csv (0 = off)",
        DefaultValueFactory = _ => 0,
    };
    public Option<string[]> CurveTasks { get; } = new("--curve-tasks")
    {
        Description = "Collapse curve: the tasks to probe (default: the probed tasks)",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [],
    };
    public Option<int?> CurveDevLimit { get; } = new("--curve-dev-limit")
    {
        Description = $"Collapse curve: dev examples per task (a fixed seeded subset; default {CurveSettings.DefaultDevLimit}, 0 = all)",
    };

    public ProtocolOptions(bool required)
    {
        Methods = new("--methods")
        {
            Description = $"Fine-tuning methods: {string.Join(", ", MethodRegistry.Kinds)}",
            AllowMultipleArgumentsPerToken = true,
            Required = required,
        };
        if (!required) Methods.DefaultValueFactory = _ => [];
        Setting.AcceptOnlyFromAmong([.. Settings.Keys]);
    }

    public ProtocolOptions AddTo(Command command)
    {
        foreach (var option in new Option[] { Methods, Seeds, Setting, Set, CurveEvery, CurveTasks, CurveDevLimit }) command.Options.Add(option);
        return this;
    }

    public IReadOnlyList<int> RunSeeds(ParseResult parse) => SeedList.Parse(string.Join(",", parse.GetValue(Seeds)!));

    public bool HasMethods(ParseResult parse) => parse.GetValue(Methods) is { Length: > 0 };

    /// <summary>The collapse curve asked for (null without <c>--curve-every</c>), its tasks checked; by default the probed tasks.</summary>
    public CurveSettings? Curve(ParseResult parse, IReadOnlyList<string> probedTasks)
    {
        var every = parse.GetValue(CurveEvery);
        if (every < 0) throw new InputError($"--curve-every {every}: expected 0 (off) or a positive number of steps");
        var named = ProbeOptions.SplitList(parse.GetValue(CurveTasks)!);
        if (every == 0)
            return named.Length > 0 || parse.GetValue(CurveDevLimit) is not null ? throw new InputError("--curve-tasks and --curve-dev-limit need --curve-every") : null;
        var limit = parse.GetValue(CurveDevLimit);
        if (limit is < 0) throw new InputError($"--curve-dev-limit {limit}: expected 0 (all) or a positive number");
        IReadOnlyList<string> tasks = named.Length > 0 ? named : probedTasks;
        foreach (var task in tasks)
            if (TaskCatalog.Spec(task).IsRegression) throw new InputError($"--curve-tasks {task}: the collapse curve probes classification tasks");
        return new CurveSettings(tasks, every, limit is 0 ? null : limit ?? CurveSettings.DefaultDevLimit);
    }

    /// <summary>One validated config per method, in the order given.</summary>
    public IReadOnlyList<FineTuneConfig> Configs(ParseResult parse, int maxLength)
    {
        var kinds = ProbeOptions.SplitList(parse.GetValue(Methods)!);
        if (kinds.Length == 0) throw new InputError($"--methods: name at least one of {string.Join(", ", MethodRegistry.Kinds)}");
        if (kinds.Distinct().Count() != kinds.Length) throw new InputError($"--methods {string.Join(" ", kinds)}: a method appears twice");
        var start = Defaults(parse.GetValue(Setting)!, maxLength);
        return Configure(kinds, start, parse.GetValue(Set)!);
    }

    /// <summary>
    /// Applies the overrides to every method's config. A <c>method.*</c> key is applied to the methods
    /// whose options have it and is an error only if none has it; any other bad key is an error.
    /// </summary>
    public static IReadOnlyList<FineTuneConfig> Configure(IReadOnlyList<string> kinds, FineTuneConfig start, IReadOnlyList<string> assignments) =>
        [.. Override([.. kinds.Select(kind => start with { Method = MethodRegistry.Defaults(kind) })], assignments).Select(c => c.Validate())];

    /// <summary>
    /// One validated seq2seq fine-tuning config per method (a protocol that fine-tunes a generator on a
    /// summarization task): the seq2seq fine-tuner's defaults, as <c>finetune</c> on that task, with the overrides;
    /// <c>--setting</c> is a classification preset and is not used.
    /// </summary>
    public IReadOnlyList<Seq2SeqFineTuneConfig> Seq2SeqConfigs(ParseResult parse, string task)
    {
        var kinds = ProbeOptions.SplitList(parse.GetValue(Methods)!);
        if (kinds.Distinct().Count() != kinds.Length) throw new InputError($"--methods {string.Join(" ", kinds)}: a method appears twice");
        if (parse.GetResult(Setting) is { Implicit: false })
            throw new InputError($"--setting: a classification preset; fine-tuning a generator on {task} takes its settings from --set (e.g. --set learning_rate=5e-4)");
        var configs = kinds.Select(kind => new Seq2SeqFineTuneConfig { Method = MethodRegistry.Seq2SeqDefaults(kind) }).ToArray();
        return [.. Override(configs, parse.GetValue(Set)!).Select(c => c.Validate())];
    }

    static T[] Override<T>(T[] configs, IReadOnlyList<string> assignments)
    {
        foreach (var assignment in assignments)
        {
            InputError? firstError = null;
            var applied = 0;
            for (var i = 0; i < configs.Length; i++)
            {
                try
                {
                    configs[i] = ConfigOverrides.Apply(configs[i], [assignment]);
                    applied++;
                }
                catch (InputError error) when (assignment.TrimStart().StartsWith("method.", StringComparison.Ordinal) && error.Message.Contains("unknown key", StringComparison.Ordinal))
                {
                    firstError ??= error;
                }
            }
            if (applied == 0 && firstError is not null) throw firstError;
        }
        return configs;
    }
}
