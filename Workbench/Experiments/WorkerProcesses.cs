using System.Diagnostics;
using System.Runtime.InteropServices;
using Probing.Training.Infrastructure;

namespace Probing.Workbench.Experiments;

/// <summary>Work stopped by SIGINT or SIGTERM after the workers it started were stopped; the exit code is 128 + the signal.</summary>
public sealed class Interrupted(int signal) : Exception($"interrupted by {(signal == Posix.SIGINT ? "SIGINT" : "SIGTERM")}: the workers were stopped and have exited; rerun the same command to resume")
{
    public int Signal => signal;
    public int ExitCode => 128 + signal;
}

/// <summary>
/// The workbench processes this process starts (study cells, seeds of a sweep). Each is told its
/// parent (<see cref="ParentVariable"/>) and asks the kernel to kill it when the parent dies, so a
/// killed runner leaves no worker holding a run's lock against its own restart. While
/// <see cref="ForwardSignals"/> is in effect, SIGINT and SIGTERM sent to this process are passed on
/// to the workers instead of ending it; no new worker starts, the running ones are waited for.
/// </summary>
public static class WorkerProcesses
{
    public const string ParentVariable = "PROBING_WORKER_PARENT";

    static readonly HashSet<Process> running = [];
    static int stopSignal;

    public static bool Stopping => Volatile.Read(ref stopSignal) != 0;
    public static int StopSignal => Volatile.Read(ref stopSignal);

    /// <summary>
    /// In a worker: asks to die with the parent that started it. Returns false when that parent is
    /// already gone (the worker should then stop before doing anything).
    /// </summary>
    public static bool BindToParent()
    {
        var text = Environment.GetEnvironmentVariable(ParentVariable);
        return !int.TryParse(text, out var parent) || Posix.DieWithParent(parent);
    }

    /// <summary>Starts a worker, sends each line it writes to <paramref name="output"/> (true for stderr), and waits for it; -1 if stopping.</summary>
    public static int Run(ProcessStartInfo info, Action<string, bool> output)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment[ParentVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output(e.Data, false); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output(e.Data, true); };
        lock (running)
        {
            if (Stopping) return -1;
            process.Start();
            running.Add(process);
        }
        try
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.WaitForExit();
            return process.ExitCode;
        }
        finally
        {
            lock (running) running.Remove(process);
        }
    }

    /// <summary>Passes SIGINT/SIGTERM on to the workers until disposed (see the class summary).</summary>
    public static IDisposable ForwardSignals()
    {
        Volatile.Write(ref stopSignal, 0);
        return new Forwarding();
    }

    sealed class Forwarding : IDisposable
    {
        readonly PosixSignalRegistration? interrupt, terminate;

        public Forwarding()
        {
            if (!OperatingSystem.IsLinux()) return;
            interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Forward(context, Posix.SIGINT));
            terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Forward(context, Posix.SIGTERM));
        }

        static void Forward(PosixSignalContext context, int signal)
        {
            context.Cancel = true;
            Interlocked.CompareExchange(ref stopSignal, signal, 0);
            lock (running)
                foreach (var process in running)
                    Posix.Signal(process.Id, signal);
            Console.Error.WriteLine($"received {(signal == Posix.SIGINT ? "SIGINT" : "SIGTERM")}: passed on to {running.Count} worker(s); waiting for them to stop");
        }

        public void Dispose()
        {
            interrupt?.Dispose();
            terminate?.Dispose();
        }
    }
}
