#!/usr/bin/python3
"""scikit-learn side of `workbench bench probe`: for each task in <dir>/tasks.json, standardize the
train features, fit LogisticRegression with the given C (lbfgs, multinomial for >2 classes), and score
test accuracy. Prints one JSON line: {"tasks": [{"task", "fit_ms", "test_accuracy", "iterations"}]}.
Run with Debian's python3-sklearn: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/probe_sklearn.py DIR"""
import json
import os
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler


def main(folder, repeats):
    spec = json.load(open(os.path.join(folder, "tasks.json")))
    results = []
    for task in spec["tasks"]:
        name = task["task"]
        x_train = np.load(os.path.join(folder, f"{name}.train.x.npy")).astype(np.float64)
        y_train = np.load(os.path.join(folder, f"{name}.train.y.npy"))
        x_test = np.load(os.path.join(folder, f"{name}.test.x.npy")).astype(np.float64)
        y_test = np.load(os.path.join(folder, f"{name}.test.y.npy"))
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            scaler = StandardScaler().fit(x_train)
            model = LogisticRegression(C=task["c"], max_iter=1000).fit(scaler.transform(x_train), y_train)
            times.append((time.perf_counter() - start) * 1000)
        accuracy = float(model.score(scaler.transform(x_test), y_test))
        results.append({"task": name, "fit_ms": float(np.median(times)), "test_accuracy": accuracy, "iterations": int(np.max(model.n_iter_))})
    print(json.dumps({"tasks": results}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3)
