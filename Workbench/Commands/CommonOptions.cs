using System.CommandLine;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Commands;

/// <summary>Options shared by several commands, declared once so that they read the same everywhere.</summary>
public static class CommonOptions
{
    /// <summary>Recursive: <c>workbench --threads 1 pretrain</c> and <c>workbench pretrain --threads 1</c> both work.</summary>
    public static readonly Option<int> Threads = new("--threads")
    {
        Description = "CPU threads for torch (results are bitwise-reproducible for a fixed seed and thread count)",
        DefaultValueFactory = _ => Environment.ProcessorCount,
        Recursive = true,
    };

    /// <summary>Recursive like <see cref="Threads"/>; cells of a study inherit it.</summary>
    public static readonly Option<string> Device = CreateDevice();

    static Option<string> CreateDevice()
    {
        var option = new Option<string>("--device")
        {
            Description = "Where torch runs: cpu (default, bitwise-reproducible), cuda (needs a -p:TorchDevice=cuda build and a GPU), or auto (cuda when available)",
            DefaultValueFactory = _ => "cpu",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong([.. TorchRuntime.DeviceNames]);
        return option;
    }

    public static Option<int?> Seed() => new("--seed") { Description = "Random seed (overrides the config's seed)" };

    public static Option<string?> Output(string whatItHolds) => new("--out") { Description = $"Run folder for {whatItHolds}" };

    /// <summary>Replaces a run whose folder holds another run (or a finished one) instead of refusing: the old one moves to .superseded/ beside it.</summary>
    public static Option<bool> ForceNew() => new("--force-new")
    {
        Description = "Start a new run even if the folder holds another (or a finished) run; the old one is moved to <parent>/.superseded/",
    };

    public static Option<string[]> Overrides() => new("--set")
    {
        Description = "Override a config key, e.g. --set model.hidden_size=256 (repeatable)",
        DefaultValueFactory = _ => [],
    };

    public static Option<string?> Model() => new("--model")
    {
        Description = "Base encoder folder: a workbench model folder or a Hugging Face BERT/RoBERTa folder (config.json, model.safetensors, vocab.txt or vocab.json + merges.txt); default: the shipped base in data/base",
    };

    /// <summary>Applies the process-wide settings every command needs before any torch work.</summary>
    public static void ApplyRuntime(ParseResult parse) => TorchRuntime.Configure(parse.GetValue(Threads), parse.GetValue(Device)!);
}
