using System.Globalization;
using System.Text;

namespace Probing.Workbench.Experiments;

/// <summary>
/// The <c>sbatch</c> script of a study: one job array whose task i runs cell i through the normal
/// workbench command. Commands resume from their own checkpoints, so the array is marked requeueable
/// and a preempted or requeued task continues where it stopped; a task whose cell already holds
/// <c>DONE</c> exits at once.
/// <para>
/// A run has one log, its cell's <c>.log</c> beside its folder, as in a local study: the workbench's
/// output is appended to it, and so is Slurm's own (<c>#SBATCH --output</c> names
/// <c>slurm/array-N/&lt;task&gt;.log</c>, a symbolic link to that file written by <see cref="LinkTaskLogs"/>),
/// so a time limit, an out-of-memory kill or a cancellation shows at the end of the run's log, after a
/// line naming the job, the node and the start of each attempt.
/// </para>
/// </summary>
public static class SlurmBatchScript
{
    /// <param name="workbench">The command that starts the workbench (the apphost, or dotnet + workbench.dll).</param>
    /// <param name="workingDirectory">Where relative paths in the cells' arguments are resolved.</param>
    public static string Render(string studyName, string studyDirectory, IReadOnlyList<GridCell> cells, IReadOnlyList<string> workbench,
        string workingDirectory, SlurmOptions options, string device, string taskLogFolder)
    {
        if (cells.Count == 0) throw new ArgumentException("a job array needs at least one cell", nameof(cells));
        var script = new StringBuilder();
        script.Append("#!/bin/bash\n");
        script.Append($"# Written by `workbench run --backend slurm` for study {studyName}: array task i runs cell i.\n");
        script.Append($"#SBATCH --job-name={Sanitize(studyName)}\n");
        script.Append($"#SBATCH --array=0-{cells.Count - 1}\n");
        foreach (var directive in options.Directives(device)) script.Append($"#SBATCH {directive}\n");
        script.Append($"#SBATCH --chdir={workingDirectory}\n");
        script.Append($"#SBATCH --output={Path.GetFullPath(taskLogFolder)}/%a.log\n");
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
        script.Append("echo \"[slurm] job ${SLURM_ARRAY_JOB_ID:-?}_$SLURM_ARRAY_TASK_ID on $(hostname) at $(date -u +%Y-%m-%dT%H:%M:%SZ)${SLURM_RESTART_COUNT:+, restart $SLURM_RESTART_COUNT}\"\n");
        script.Append("[ -e \"$out/DONE\" ] && exit 0\n");
        script.Append("mkdir -p \"$(dirname \"$out\")\"\n");
        script.Append(CultureInfo.InvariantCulture,
            $"exec {string.Join(' ', workbench.Select(Quote))} --threads \"${{SLURM_CPUS_PER_TASK:-{options.CpusPerTask}}}\" --device {Quote(device)} \"${{cell[@]}}\" >> \"$out.log\" 2>&1\n");
        return script.ToString();
    }

    /// <summary>The log of a cell: beside its run folder (the cell command's last argument, its --out).</summary>
    public static string CellLog(GridCell cell, string workingDirectory) => Path.GetFullPath(cell.Arguments[^1], workingDirectory) + ".log";

    /// <summary>
    /// Makes <c>&lt;task&gt;.log</c> in <paramref name="taskLogFolder"/> a relative symbolic link to task i's cell log, creating
    /// the cell log's folder (Slurm opens the output file before the script runs, and creates no folders).
    /// </summary>
    public static void LinkTaskLogs(string taskLogFolder, IReadOnlyList<GridCell> cells, string workingDirectory)
    {
        Directory.CreateDirectory(taskLogFolder);
        for (int i = 0; i < cells.Count; i++)
        {
            var log = CellLog(cells[i], workingDirectory);
            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            var link = Path.Combine(taskLogFolder, i.ToString(CultureInfo.InvariantCulture) + ".log");
            File.Delete(link);
            File.CreateSymbolicLink(link, Path.GetRelativePath(Path.GetFullPath(taskLogFolder), log));
        }
    }

    /// <summary>A bash word that reads as exactly <paramref name="text"/>.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    static string Sanitize(string name) => new([.. name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]);
}
