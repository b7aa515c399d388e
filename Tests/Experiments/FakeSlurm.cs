using System.Globalization;

namespace Probing.Tests.Experiments;

/// <summary>
/// Stand-ins for <c>sbatch</c>, <c>squeue</c>, <c>sacct</c> and <c>scontrol</c> in a folder of their own, answering
/// in the real tools' documented formats from files the test writes: <c>sbatch --parsable</c> prints the next job id
/// and keeps a copy of the script; <c>squeue -h -r -j ID -o "%K %T"</c> prints the queued tasks (one per line) or,
/// for a job it does not know, Slurm's "Invalid job id specified" with exit 1; <c>sacct -n -P -X -j ID -o
/// JobID,State,ExitCode</c> prints <c>77_1|FAILED|1:0</c> lines, or fails as without accounting storage. A call
/// with other arguments than these fails, so a change in how the workbench asks is caught.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
sealed class FakeSlurm
{
    public string Bin { get; }
    readonly string state;

    public FakeSlurm()
    {
        var root = Directory.CreateTempSubdirectory("probing-fake-slurm-").FullName;
        Bin = Path.Combine(root, "bin");
        state = Path.Combine(root, "state");
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(state);
        File.WriteAllText(Path.Combine(state, "next-job-id"), "77");
        Write("sbatch", """
            [ "$1" = --parsable ] && [ $# -eq 2 ] || { echo "sbatch: unexpected arguments: $*" >&2; exit 64; }
            id=$(cat "$STATE/next-job-id"); echo $((id + 1)) > "$STATE/next-job-id"
            cp "$2" "$STATE/submitted-$id.sh"; echo "$2" >> "$STATE/sbatch-calls"
            echo "$id"
            """);
        Write("squeue", """
            [ "$*" = "-h -r -j $4 -o %K %T" ] || { echo "squeue: unexpected arguments: $*" >&2; exit 64; }
            [ -f "$STATE/squeue-$4" ] || { echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1; }
            cat "$STATE/squeue-$4"
            """);
        Write("sacct", """
            [ "$*" = "-n -P -X -j $5 -o JobID,State,ExitCode" ] || { echo "sacct: unexpected arguments: $*" >&2; exit 64; }
            [ -f "$STATE/sacct-$5" ] || { echo "sacct: error: Slurm accounting storage is disabled" >&2; exit 1; }
            cat "$STATE/sacct-$5"
            """);
        Write("scontrol", """
            [ "$*" = "-o show job $4" ] || { echo "scontrol: unexpected arguments: $*" >&2; exit 64; }
            [ -f "$STATE/scontrol-$4" ] || { echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1; }
            cat "$STATE/scontrol-$4"
            """);
    }

    /// <summary>The scripts submitted so far, in order.</summary>
    public IReadOnlyList<string> Submitted =>
        [.. Directory.GetFiles(state, "submitted-*.sh").OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f)["submitted-".Length..], CultureInfo.InvariantCulture))];

    /// <summary>What <c>squeue -h -r -j</c> prints for the job (lines of "index STATE"); null: Slurm no longer knows it.</summary>
    public void Queue(string jobId, string? lines) => Set($"squeue-{jobId}", lines);

    /// <summary>What <c>sacct -n -P -X -j … -o JobID,State,ExitCode</c> prints for the job; null: accounting is disabled.</summary>
    public void Accounting(string jobId, string? lines) => Set($"sacct-{jobId}", lines);

    /// <summary>What <c>scontrol -o show job</c> prints for the job; null: Slurm no longer knows it.</summary>
    public void Controller(string jobId, string? lines) => Set($"scontrol-{jobId}", lines);

    void Set(string file, string? contents)
    {
        var path = Path.Combine(state, file);
        if (contents is null) File.Delete(path);
        else File.WriteAllText(path, contents.ReplaceLineEndings("\n") + "\n");
    }

    void Write(string program, string body)
    {
        var path = Path.Combine(Bin, program);
        File.WriteAllText(path, $"#!/bin/bash\nSTATE='{state}'\n{body.ReplaceLineEndings("\n")}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
