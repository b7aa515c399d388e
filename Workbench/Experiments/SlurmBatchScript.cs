using System.Globalization;
using System.Text;

namespace Probing.Workbench.Experiments;

/// <summary>Where and how each array task runs; unset values are left to the cluster's defaults.</summary>
public sealed record SlurmOptions(string? Partition = null, string? Time = null, int CpusPerTask = 1);

/// <summary>
/// The <c>sbatch</c> script of a study: one job array whose task i runs cell i through the normal
/// workbench command. Commands resume from their own checkpoints, so the array is marked requeueable
/// and a preempted or requeued task continues where it stopped; a task whose cell already holds
/// <c>DONE</c> exits at once.
/// </summary>
public static class SlurmBatchScript
{
    /// <param name="workbench">The command that starts the workbench (the apphost, or dotnet + workbench.dll).</param>
    /// <param name="workingDirectory">Where relative paths in the cells' arguments are resolved.</param>
    public static string Render(string studyName, string studyDirectory, IReadOnlyList<GridCell> cells, IReadOnlyList<string> workbench,
        string workingDirectory, SlurmOptions options, string device)
    {
        if (cells.Count == 0) throw new ArgumentException("a job array needs at least one cell", nameof(cells));
        var logs = Path.Combine(Path.GetFullPath(studyDirectory), "slurm");
        var script = new StringBuilder();
        script.Append("#!/bin/bash\n");
        script.Append($"# Written by `workbench run --backend slurm` for study {studyName}: array task i runs cell i.\n");
        script.Append($"#SBATCH --job-name={Sanitize(studyName)}\n");
        script.Append($"#SBATCH --array=0-{cells.Count - 1}\n");
        script.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={options.CpusPerTask}\n");
        if (options.Partition is { } partition) script.Append($"#SBATCH --partition={partition}\n");
        if (options.Time is { } time) script.Append($"#SBATCH --time={time}\n");
        script.Append($"#SBATCH --chdir={workingDirectory}\n");
        script.Append($"#SBATCH --output={logs}/%A_%a.out\n");
        script.Append("#SBATCH --open-mode=append\n");
        script.Append("#SBATCH --requeue\n");
        script.Append("set -u\n");
        script.Append("case \"$SLURM_ARRAY_TASK_ID\" in\n");
        for (int i = 0; i < cells.Count; i++)
        {
            var output = Path.GetFullPath(cells[i].Arguments[^1], workingDirectory);
            script.Append(CultureInfo.InvariantCulture, $"  {i}) out={Quote(output)}; cell=({string.Join(' ', cells[i].Arguments.Select(Quote))}) ;;\n");
        }
        script.Append("  *) echo \"no cell for array task $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;\n");
        script.Append("esac\n");
        script.Append("[ -e \"$out/DONE\" ] && exit 0\n");
        script.Append("mkdir -p \"$(dirname \"$out\")\"\n");
        script.Append(CultureInfo.InvariantCulture,
            $"exec {string.Join(' ', workbench.Select(Quote))} --threads \"${{SLURM_CPUS_PER_TASK:-{options.CpusPerTask}}}\" --device {Quote(device)} \"${{cell[@]}}\" >> \"$out.log\" 2>&1\n");
        return script.ToString();
    }

    /// <summary>A bash word that reads as exactly <paramref name="text"/>.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    static string Sanitize(string name) => new([.. name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]);
}
