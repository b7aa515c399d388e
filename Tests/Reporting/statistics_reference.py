"""Independent reference values for Tests/Reporting/StatisticsTests.cs (SciPy, not the workbench).

Run: /usr/bin/python3 Tests/Reporting/statistics_reference.py
"""
import numpy as np
from scipy import optimize, stats

a = np.array([0.81, 0.79, 0.84, 0.80, 0.83])
b = np.array([0.78, 0.80, 0.79, 0.77, 0.80])
print("mean", a.mean(), "sd", a.std(ddof=1), "median", np.median(a))
print("ci95", stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a)))
print("paired", stats.ttest_rel(a, b))
print("welch", stats.ttest_ind(a, b, equal_var=False))


def pitman_morgan(x, y):
    """Paired test of equal variances: Pearson's test of corr(x + y, x - y) = 0. Its 95 % interval for
    var(x) / var(y) found numerically: every ratio lam for which x / sqrt(lam) against y is not rejected."""
    ratio = x.var(ddof=1) / y.var(ddof=1)
    p_at = lambda lam: stats.pearsonr(x / np.sqrt(lam) + y, x / np.sqrt(lam) - y)[1] - 0.05
    low = optimize.brentq(p_at, 1e-6, ratio, xtol=1e-14)
    high = optimize.brentq(p_at, ratio, 1e6, xtol=1e-12)
    return ratio, stats.pearsonr(x + y, x - y)[1], low, high


print("pitman-morgan a/b (ratio, p, ci95)", pitman_morgan(a, b))
x10 = np.array([0.8049, 0.8095, 0.7956, 0.7729, 0.7906, 0.7871, 0.7878, 0.8222, 0.7711, 0.7747])
y10 = np.array([0.7448, 0.7989, 0.7565, 0.7903, 0.7956, 0.7746, 0.7257, 0.8106, 0.7887, 0.791])
print("pitman-morgan x10/y10 (ratio, p, ci95)", pitman_morgan(x10, y10))
d = a - b
print("paired ci95", stats.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=stats.sem(d)), "sd", d.std(ddof=1))
