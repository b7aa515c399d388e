#!/usr/bin/python3
"""Writes probe_features.csv (a fixed synthetic feature set) and probe_reference.json (scikit-learn's
solutions on it), the independent reference of the linear-probe tests. Deterministic; run with Debian's
python3-sklearn (1.2.1):  /usr/bin/python3 Tests/Probing/Fixtures/make_probe_fixture.py"""
import json
import os

import numpy as np
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
ROWS, TRAIN, DIMS, CLASSES, C, ALPHA = 600, 400, 16, 3, 1.0, 10.0

rng = np.random.default_rng(20240611)
labels = rng.integers(0, CLASSES, ROWS)
means = rng.normal(0, 0.6, (CLASSES, DIMS))
scales = rng.uniform(0.5, 3.0, DIMS)  # unequal feature scales, so standardization matters
features = ((means[labels] + rng.normal(0, 1, (ROWS, DIMS))) * scales + rng.normal(0, 2, DIMS)).astype(np.float32)
scores = (features.astype(np.float64) @ rng.normal(0, 0.3, DIMS) + rng.normal(0, 1, ROWS)).astype(np.float32)
split = np.array(["train"] * TRAIN + ["test"] * (ROWS - TRAIN))

with open(os.path.join(HERE, "probe_features.csv"), "w") as f:
    f.write("split,label,score," + ",".join(f"f{i}" for i in range(DIMS)) + "\n")
    for s, y, t, row in zip(split, labels, scores, features):
        f.write(f"{s},{y},{t:.9g}," + ",".join(f"{v:.9g}" for v in row) + "\n")

train, test = split == "train", split == "test"
scaler = StandardScaler().fit(features[train].astype(np.float64))
x_train, x_test = scaler.transform(features[train].astype(np.float64)), scaler.transform(features[test].astype(np.float64))


def logistic(rows_train, rows_test):
    model = LogisticRegression(C=C, max_iter=10000, tol=1e-10).fit(x_train[rows_train], labels[train][rows_train])
    return {
        "train_rows": int(rows_train.sum()), "test_rows": int(rows_test.sum()),
        "test_accuracy": float(model.score(x_test[rows_test], labels[test][rows_test])),
        "coef": model.coef_.tolist(), "intercept": model.intercept_.tolist(),
    }


everything_train, everything_test = np.ones(TRAIN, bool), np.ones(ROWS - TRAIN, bool)
ridge = Ridge(alpha=ALPHA).fit(x_train, scores[train].astype(np.float64))
reference = {
    "sklearn": __import__("sklearn").__version__, "c": C, "alpha": ALPHA,
    "multiclass": logistic(everything_train, everything_test),
    "binary": logistic(labels[train] < 2, labels[test] < 2),
    "ridge": {"coef": ridge.coef_.tolist(), "intercept": float(ridge.intercept_)},
}
with open(os.path.join(HERE, "probe_reference.json"), "w") as f:
    json.dump(reference, f, indent=1)
    f.write("\n")
print(json.dumps({k: v["test_accuracy"] for k, v in reference.items() if isinstance(v, dict) and "test_accuracy" in v}))
