using System.Diagnostics;

namespace Probing.Workbench.Benchmarks;

/// <summary>What a measurement counts: elapsed time, or the CPU time of the whole process.</summary>
public enum BenchClock
{
    Wall,
    /// <summary>
    /// User + system time of every thread of the process: on a machine that other jobs load, the work
    /// done rather than the waits. Meaningful at one torch thread (at two, idle OpenMP threads spin and count).
    /// </summary>
    Cpu,
}

/// <summary>Median time of repeated calls after warm-up: robust to the noise of a shared machine.</summary>
public static class Timing
{
    public static double MedianMilliseconds(Action action, int warmup, int iterations, BenchClock clock = BenchClock.Wall)
    {
        for (int i = 0; i < warmup; i++) action();
        var samples = new double[iterations];
        for (int i = 0; i < iterations; i++) samples[i] = Milliseconds(action, clock);
        return Median(samples);
    }

    public static double Milliseconds(Action action, BenchClock clock)
    {
        if (clock == BenchClock.Wall)
        {
            var watch = Stopwatch.StartNew();
            action();
            return watch.Elapsed.TotalMilliseconds;
        }
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        action();
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no values", nameof(values));
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
