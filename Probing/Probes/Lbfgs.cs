namespace Probing.Probing.Probes;

/// <summary>
/// Limited-memory BFGS with a backtracking (Armijo) line search, for smooth convex objectives of a
/// few thousand parameters. Deterministic: no randomness, plain double arithmetic in a fixed order.
/// </summary>
public static class Lbfgs
{
    /// <summary>Objective value and its gradient at a point.</summary>
    public delegate double Objective(double[] x, double[] gradient);

    public sealed record Result(double[] X, double Value, int Iterations, bool Converged);

    /// <param name="gradientTolerance">Stop when every gradient component is at most this (scipy's <c>pgtol</c>).</param>
    public static Result Minimize(Objective objective, double[] start, double gradientTolerance = 1e-5, int maxIterations = 500, int memory = 10)
    {
        var n = start.Length;
        var x = (double[])start.Clone();
        var g = new double[n];
        var f = objective(x, g);
        var history = new LinkedList<(double[] S, double[] Y, double Rho)>();
        var candidate = new double[n];
        var candidateGradient = new double[n];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            if (MaxAbs(g) <= gradientTolerance) return new Result(x, f, iteration, true);
            var direction = Direction(g, history);
            var slope = Dot(g, direction);
            if (slope >= 0)
            {
                // Curvature information went stale: restart from steepest descent.
                history.Clear();
                direction = [.. g.Select(v => -v)];
                slope = Dot(g, direction);
            }
            var step = iteration == 0 ? Math.Min(1, 1 / Math.Sqrt(-slope)) : 1.0;
            double fNew;
            while (true)
            {
                for (var i = 0; i < n; i++) candidate[i] = x[i] + step * direction[i];
                fNew = objective(candidate, candidateGradient);
                if (fNew <= f + 1e-4 * step * slope) break;
                step *= 0.5;
                if (step < 1e-20) return new Result(x, f, iteration, MaxAbs(g) <= gradientTolerance);
            }
            var s = new double[n];
            var y = new double[n];
            for (var i = 0; i < n; i++)
            {
                s[i] = candidate[i] - x[i];
                y[i] = candidateGradient[i] - g[i];
            }
            var sy = Dot(s, y);
            if (sy > 1e-12 * Math.Sqrt(Dot(y, y) * Dot(s, s)))
            {
                history.AddLast((s, y, 1 / sy));
                if (history.Count > memory) history.RemoveFirst();
            }
            Array.Copy(candidate, x, n);
            Array.Copy(candidateGradient, g, n);
            var converged = Math.Abs(f - fNew) <= 1e-14 * Math.Max(1, Math.Abs(f));
            f = fNew;
            if (converged) return new Result(x, f, iteration + 1, true);
        }
        return new Result(x, f, maxIterations, MaxAbs(g) <= gradientTolerance);
    }

    /// <summary>The two-loop recursion: −H·g with H the L-BFGS inverse-Hessian estimate.</summary>
    static double[] Direction(double[] g, LinkedList<(double[] S, double[] Y, double Rho)> history)
    {
        var q = (double[])g.Clone();
        var alphas = new double[history.Count];
        var k = history.Count - 1;
        for (var node = history.Last; node != null; node = node.Previous, k--)
        {
            alphas[k] = node.Value.Rho * Dot(node.Value.S, q);
            Axpy(-alphas[k], node.Value.Y, q);
        }
        if (history.Last is { } newest)
        {
            var gamma = Dot(newest.Value.S, newest.Value.Y) / Dot(newest.Value.Y, newest.Value.Y);
            for (var i = 0; i < q.Length; i++) q[i] *= gamma;
        }
        k = 0;
        for (var node = history.First; node != null; node = node.Next, k++)
        {
            var beta = node.Value.Rho * Dot(node.Value.Y, q);
            Axpy(alphas[k] - beta, node.Value.S, q);
        }
        for (var i = 0; i < q.Length; i++) q[i] = -q[i];
        return q;
    }

    static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    static void Axpy(double a, double[] x, double[] y)
    {
        for (var i = 0; i < y.Length; i++) y[i] += a * x[i];
    }

    static double MaxAbs(double[] values) => values.Length == 0 ? 0 : values.Max(Math.Abs);
}
