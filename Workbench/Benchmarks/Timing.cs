using System.Diagnostics;

namespace Probing.Workbench.Benchmarks;

/// <summary>Median wall time of repeated calls after warm-up: robust to the noise of a shared machine.</summary>
public static class Timing
{
    public static double MedianMilliseconds(Action action, int warmup, int iterations)
    {
        for (int i = 0; i < warmup; i++) action();
        var samples = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(samples);
        return iterations % 2 == 1 ? samples[iterations / 2] : (samples[iterations / 2 - 1] + samples[iterations / 2]) / 2;
    }
}
