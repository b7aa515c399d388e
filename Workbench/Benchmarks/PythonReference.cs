using System.Diagnostics;
using System.Text.Json;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Benchmarks;

/// <summary>
/// Runs a reference script of <c>bench/</c> in a Python interpreter that has the module it needs
/// (torch, sklearn). The first <c>python3</c> on PATH may be another interpreter without it, so the
/// interpreter is the one asked for (<c>--python</c>), else <c>$PROBING_PYTHON</c>, else the first of
/// <c>/usr/bin/python3</c> and <c>python3</c> that imports the module. BLAS and OpenMP threads are set
/// to torch's thread count, so "1 thread" means one thread on both sides; OpenBLAS picks its kernel
/// from the CPU (set <c>OPENBLAS_CORETYPE</c> in the environment where it misdetects one).
/// </summary>
public static class PythonReference
{
    static readonly string[] Candidates = ["/usr/bin/python3", "python3"];

    /// <summary>The interpreter to use, or a one-line error naming what was tried.</summary>
    public static string Find(string? requested, string module)
    {
        var tried = requested is not null ? [requested]
            : Environment.GetEnvironmentVariable("PROBING_PYTHON") is { Length: > 0 } fromEnvironment ? [fromEnvironment]
            : Candidates;
        foreach (var python in tried)
            if (Imports(python, module)) return python;
        throw new InputError($"no Python interpreter that imports {module} (tried {string.Join(", ", tried)}); install Debian's python3-torch python3-sklearn libopenblas0-pthread or pass --python");
    }

    /// <summary>Runs <c>bench/&lt;script&gt;</c> and parses the JSON object on the last line of its output.</summary>
    public static JsonDocument Run(string python, string script, IEnumerable<string> arguments, int threads)
    {
        var path = Path.GetFullPath(Path.Combine(ProjectPaths.DataDir, "..", "bench", script));
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(path);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["OPENBLAS_NUM_THREADS"] = $"{threads}";
        info.Environment["OMP_NUM_THREADS"] = $"{threads}";
        info.Environment["MKL_NUM_THREADS"] = $"{threads}";
        using var process = Start(info);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InputError($"{path}: exited with {process.ExitCode}: {stderr.Result.Trim().Split('\n')[^1]}");
        return JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
    }

    static bool Imports(string python, string module)
    {
        try
        {
            var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, ArgumentList = { "-c", $"import {module}" } };
            using var process = Process.Start(info);
            if (process is null) return false;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    static Process Start(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info) ?? throw new InputError($"{info.FileName}: could not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InputError($"{info.FileName}: could not start ({e.Message})");
        }
    }
}
