using System.CommandLine;
using System.Reflection;
using System.Text.RegularExpressions;
using Probing.Training.Infrastructure;
using Probing.Workbench.Commands;
using Probing.Workbench.Experiments;

namespace Probing.Workbench;

/// <summary>
/// The <c>workbench</c> command line: parses, runs, and turns every fault into one line on stderr
/// with a non-zero exit code: bad input <see cref="BadInputExitCode"/>, a file system fault
/// (permission, read-only, full disk) <see cref="FileSystemExitCode"/>, anything else (a bug)
/// <see cref="InternalErrorExitCode"/>. <c>--debug</c> or <see cref="DebugVariable"/>=1 adds the stack trace.
/// </summary>
public static partial class Cli
{
    public const int BadInputExitCode = 2;
    public const int FileSystemExitCode = 3;
    public const int InternalErrorExitCode = 70;
    public const string DebugVariable = "PROBING_DEBUG";

    public static readonly Option<bool> Debug = new("--debug") { Description = "On an error, also print its stack trace (or set PROBING_DEBUG=1)", Recursive = true };

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Probing: a workbench for studying representational collapse in fine-tuned text encoders.");
        root.Options.Add(CommonOptions.Threads);
        root.Options.Add(CommonOptions.Device);
        root.Options.Add(Debug);
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        CommonOptions.OfferRuntime(root);
        return root;
    }

    public static int Run(string[] args)
    {
        // A worker of `workbench run` dies with its runner; if the runner is already gone, it has nothing to do.
        if (!WorkerProcesses.BindToParent())
        {
            Console.Error.WriteLine("error: the process that started this worker has ended; nothing was done");
            return 128 + Posix.SIGTERM;
        }
        // Spectre assumes 80 columns when output is redirected; tables would wrap into unreadable logs.
        // $COLUMNS (when exported) still says how wide the reader's terminal is.
        if (Console.IsOutputRedirected)
            Spectre.Console.AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns >= 40 ? columns : 200;
        try
        {
            return CreateRoot().Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            var (code, line) = Describe(e);
            Console.Error.WriteLine($"error: {line}");
            if (args.Contains("--debug") || Environment.GetEnvironmentVariable(DebugVariable) == "1") Console.Error.WriteLine(e);
            return code;
        }
    }

    /// <summary>
    /// Plans a command line without executing it (every input checked, nothing written): the runs it
    /// would make. A parse error or bad input is an <see cref="InputError"/>.
    /// </summary>
    public static IReadOnlyList<Runs.RunPlan> Plan(IReadOnlyList<string> args)
    {
        var parse = CreateRoot().Parse([.. args]);
        if (parse.Errors.Count > 0) throw new InputError(parse.Errors[0].Message);
        return PlannedCommands.Plan(parse)?.Runs ?? [];
    }

    /// <summary>An exception as its exit code and one line naming the path (where there is one) and the problem.</summary>
    public static (int ExitCode, string Line) Describe(Exception exception)
    {
        var e = Unwrap(exception);
        return e switch
        {
            InputError or TrainingDiverged => (BadInputExitCode, OneLine(e.Message)),
            Interrupted interrupted => (interrupted.ExitCode, interrupted.Message),
            UnauthorizedAccessException => (FileSystemExitCode, FileSystemLine(e.Message, "permission denied")),
            DirectoryNotFoundException or FileNotFoundException => (FileSystemExitCode, FileSystemLine(e.Message, "not found")),
            PathTooLongException => (FileSystemExitCode, FileSystemLine(e.Message, "path too long")),
            IOException => (FileSystemExitCode, FileSystemLine(e.Message, null)),
            _ => (InternalErrorExitCode, OneLine($"internal error ({e.GetType().Name}: {e.Message}); this is a bug: please report it with the output of the same command run with --debug")),
        };
    }

    static Exception Unwrap(Exception e)
    {
        while (true)
        {
            if (e is AggregateException { InnerExceptions.Count: 1 } aggregate) e = aggregate.InnerExceptions[0];
            else if (e is TargetInvocationException { InnerException: { } inner }) e = inner;
            else return e;
        }
    }

    /// <summary>
    /// .NET's I/O messages as "path: problem": "Read-only file system : '/x'", "No space left on device : '/x'",
    /// "Access to the path '/x' is denied.", "Could not find a part of the path '/x'.".
    /// </summary>
    static string FileSystemLine(string message, string? problem)
    {
        var path = QuotedPath().Match(message);
        if (!path.Success) return OneLine(message);
        // A failed write names the temporary it was writing (AtomicFile); the user asked for the real file.
        var named = AtomicFile.Destination(path.Groups[1].Value);
        // "Not found" or "not a directory" because a regular file sits where a folder of the path should be.
        for (var ancestor = Path.GetDirectoryName(named); !string.IsNullOrEmpty(ancestor); ancestor = Path.GetDirectoryName(ancestor))
            if (File.Exists(ancestor))
                return OneLine($"{ancestor}: is a file, but {named} needs it to be a folder; choose another path or move the file");
        var reason = problem ?? message[..path.Index].Trim().TrimEnd(':').Trim();
        if (reason.Length == 0) reason = "input/output error";
        reason = char.ToLowerInvariant(reason[0]) + reason[1..];
        return OneLine($"{named}: {reason}; fix that and run the same command again");
    }

    static string OneLine(string text) => string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedPath();
}
