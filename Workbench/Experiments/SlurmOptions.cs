using System.Globalization;
using System.Text.RegularExpressions;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Experiments;

/// <summary>
/// Where and how each array task runs; unset values are left to the cluster's defaults. Every value
/// becomes an <c>#SBATCH</c> line of the array script, so <see cref="Check"/> refuses what sbatch would
/// misread before anything is submitted.
/// </summary>
/// <param name="Mem">Memory per task (<c>--mem</c>: 16G, 4000M, 500 = megabytes); unset, the cluster's default (often a whole node's share).</param>
/// <param name="Gres">Generic resources (<c>--gres</c>: gpu:1, gpu:a100:2); unset with <c>--device cuda</c>, one GPU is asked for.</param>
/// <param name="SbatchArguments">Any other sbatch option, one per entry (<c>--constraint=avx512</c>, <c>--exclusive</c>).</param>
public sealed record SlurmOptions(string? Partition = null, string? Time = null, int CpusPerTask = 1,
    string? Mem = null, string? Account = null, string? Qos = null, string? Gres = null, IReadOnlyList<string>? SbatchArguments = null)
{
    /// <summary>What a run on <c>--device cuda</c> asks for when neither <c>--gres</c> nor a GPU option among the pass-through arguments does.</summary>
    public const string DefaultGpu = "gpu:1";

    static readonly Regex Name = new(@"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$", RegexOptions.CultureInvariant);
    static readonly Regex Size = new(@"^[0-9]+[KMGTkmgt]?$", RegexOptions.CultureInvariant);
    static readonly Regex Duration = new(@"^([0-9]+(:[0-9]+){0,2}|[0-9]+-[0-9]+(:[0-9]+){0,2}|unlimited|infinite)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    static readonly Regex GresItem = new(@"^[A-Za-z][A-Za-z0-9_/]*(:[A-Za-z0-9_.-]+){0,2}$", RegexOptions.CultureInvariant);

    /// <summary>
    /// sbatch options the array script sets itself (the backend depends on them), and those with an
    /// option of their own here: given through <c>--sbatch-arg</c> they are refused, naming the alternative.
    /// </summary>
    static readonly (string[] Spellings, string Why)[] Reserved =
    [
        (["--array", "-a"], "the array is the study's grid"),
        (["--output", "-o", "--error", "-e", "--open-mode"], "each run's log is its cell's .log file"),
        (["--chdir", "-D"], "tasks run where `workbench run` was started"),
        (["--wrap", "--parsable", "--wait", "-W"], "the workbench submits the script itself (use `workbench run --wait`)"),
        (["--job-name", "-J"], "the job is named after the study"),
        (["--requeue", "--no-requeue"], "tasks are requeueable (they resume from their checkpoints)"),
        (["--partition", "-p"], "use --partition"),
        (["--time", "-t"], "use --time"),
        (["--cpus-per-task", "-c"], "use --cpus-per-task (it also sets the runs' torch threads)"),
        (["--mem"], "use --mem"),
        (["--account", "-A"], "use --account"),
        (["--qos", "-q"], "use --qos"),
        (["--gres"], "use --gres"),
    ];

    /// <summary>Refuses a value sbatch would misread, with one line naming the option.</summary>
    public SlurmOptions Check()
    {
        if (CpusPerTask < 1) throw new InputError($"--cpus-per-task {CpusPerTask}: expected a positive number");
        if (Partition is { } partition && !partition.Split(',').All(Name.IsMatch))
            throw new InputError($"--partition '{partition}': expected a partition name or a comma-separated list of them");
        if (Time is { } time && !Duration.IsMatch(time))
            throw new InputError($"--time '{time}': expected minutes, [hours:]minutes:seconds or days-hours[:minutes[:seconds]], e.g. 04:00:00 or 2-00:00:00");
        if (Mem is { } mem && !Size.IsMatch(mem))
            throw new InputError($"--mem '{mem}': expected a size such as 16G, 4000M or 4000 (megabytes)");
        if (Account is { } account && !Name.IsMatch(account))
            throw new InputError($"--account '{account}': expected an account name (letters, digits, _ . + -)");
        if (Qos is { } qos && !Name.IsMatch(qos))
            throw new InputError($"--qos '{qos}': expected a QOS name (letters, digits, _ . + -)");
        if (Gres is { } gres && !gres.Split(',').All(GresItem.IsMatch))
            throw new InputError($"--gres '{gres}': expected name[:type][:count] items separated by commas, e.g. gpu:1 or gpu:a100:2");
        foreach (var argument in SbatchArguments ?? [])
        {
            if (!argument.StartsWith('-') || argument.Any(char.IsControl))
                throw new InputError($"--sbatch-arg '{argument.ReplaceLineEndings(" ")}': expected one sbatch option on one line, e.g. --constraint=avx512");
            var spelling = OptionName(argument);
            var reserved = Reserved.FirstOrDefault(r => r.Spellings.Contains(spelling));
            if (reserved.Spellings is not null) throw new InputError($"--sbatch-arg '{argument}': {spelling} is set by the workbench ({reserved.Why})");
        }
        return this;
    }

    /// <summary>The <c>#SBATCH</c> option lines (without the prefix) for these options and the runs' device.</summary>
    public IEnumerable<string> Directives(string device)
    {
        yield return string.Create(CultureInfo.InvariantCulture, $"--cpus-per-task={CpusPerTask}");
        if (Partition is { } partition) yield return $"--partition={partition}";
        if (Time is { } time) yield return $"--time={time}";
        if (Mem is { } mem) yield return $"--mem={mem}";
        if (Account is { } account) yield return $"--account={account}";
        if (Qos is { } qos) yield return $"--qos={qos}";
        if (Gres is { } gres) yield return $"--gres={gres}";
        else if (device.StartsWith("cuda", StringComparison.Ordinal) && !AsksForGpu()) yield return $"--gres={DefaultGpu}";
        foreach (var argument in SbatchArguments ?? []) yield return argument;
    }

    bool AsksForGpu() => (SbatchArguments ?? []).Select(OptionName).Any(name => name is "-G" or "--tres-per-task" || name.StartsWith("--gpus", StringComparison.Ordinal));

    /// <summary>The option's name: <c>--constraint</c> of <c>--constraint=avx512</c>, <c>-C</c> of <c>-C avx512</c> or <c>-Cavx512</c>.</summary>
    static string OptionName(string argument)
    {
        if (argument.StartsWith("--", StringComparison.Ordinal)) return argument.Split('=', ' ')[0];
        return argument.Length >= 2 ? argument[..2] : argument;
    }
}
