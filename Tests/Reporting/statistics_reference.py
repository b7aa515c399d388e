"""Independent reference values for Tests/Reporting/StatisticsTests.cs (SciPy, not the workbench).

Run: /usr/bin/python3 Tests/Reporting/statistics_reference.py
"""
import numpy as np
from scipy import stats

a = np.array([0.81, 0.79, 0.84, 0.80, 0.83])
b = np.array([0.78, 0.80, 0.79, 0.77, 0.80])
print("mean", a.mean(), "sd", a.std(ddof=1), "median", np.median(a))
print("ci95", stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a)))
print("paired", stats.ttest_rel(a, b))
print("welch", stats.ttest_ind(a, b, equal_var=False))
f = a.var(ddof=1) / b.var(ddof=1)
cdf = stats.f.cdf(f, len(a) - 1, len(b) - 1)
print("f", f, "p", 2 * min(cdf, 1 - cdf))
d1, d2 = len(a) - 1, len(b) - 1
print("f ci95", f / stats.f.ppf(0.975, d1, d2), f / stats.f.ppf(0.025, d1, d2))
d = a - b
print("paired ci95", stats.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=stats.sem(d)), "sd", d.std(ddof=1))
