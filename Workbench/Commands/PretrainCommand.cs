using System.CommandLine;
using Probing.Training.Pretraining;
using Probing.Workbench.Experiments;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench pretrain</c>: masked-LM pretraining of a base encoder on the embedded corpus.</summary>
public static class PretrainCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset")
        {
            Description = $"Starting configuration: {string.Join(", ", PretrainConfig.PresetNames)}",
            DefaultValueFactory = _ => "default",
        };
        preset.AcceptOnlyFromAmong([.. PretrainConfig.PresetNames]);
        var seed = CommonOptions.Seed();
        var output = CommonOptions.Output("the pretraining run (default results/pretrain/<preset>-seed<seed>)");
        var overrides = CommonOptions.Overrides();
        var forceNew = CommonOptions.ForceNew();
        var command = new Command("pretrain", "Pretrain a BERT-style encoder with masked-LM on the embedded public-domain corpus (resumes an interrupted run; a finished one is read back)")
        {
            preset, seed, output, overrides, forceNew,
        };
        command.SetPlanner(parse =>
        {
            var config = PretrainConfig.Preset(parse.GetValue(preset)!);
            if (parse.GetValue(seed) is { } s) config = config with { Seed = s };
            config = ConfigOverrides.Apply(config, parse.GetValue(overrides)!);
            var folder = parse.GetValue(output) ?? Path.Combine("results", "pretrain", $"{parse.GetValue(preset)}-seed{config.Seed}");
            var plan = BasePretraining.Plan(config, folder, "pretrain");
            return new CommandPlan([plan], () =>
            {
                CommonOptions.ApplyRuntime(parse);
                var outcome = BasePretraining.Run(plan, parse.GetValue(forceNew));
                BasePretraining.PrintSummary(outcome, folder);
                return 0;
            });
        });
        return command;
    }
}
