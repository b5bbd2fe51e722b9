#!/usr/bin/env python3
"""make bench (and make bench-grading): times `lstm-grad check` grading a course.

usage: grading.py --binary PATH [--files N] [--repeat R] [--limit SECONDS]
Writes N small answers files (default 300) to bench/out/grading/: the published example's values
(from `lstm-grad run --example gomez --format json`) written to 5 decimals as a student writes
them, each file with its own slips (a changed digit, a dropped answer, a sign) from a fixed seed.
Then times one whole-process `lstm-grad check --example gomez DIR --format gradebook`, R times,
and prints the median; exits 1 if it exceeds --limit (default 2 s).
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out", "grading")


def written(x):
    return float("%.5f" % x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", required=True)
    p.add_argument("--files", type=int, default=300)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--limit", type=float, default=2.0)
    a = p.parse_args()
    doc = json.loads(subprocess.run([a.binary, "run", "--example", "gomez", "--format", "json"],
                                    check=True, capture_output=True).stdout)
    truth = doc["quantities"]
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    rng = random.Random(13)
    keys = sorted(truth)
    for n in range(a.files):
        answers = {}
        for k in keys:
            if rng.random() < 0.1:
                continue  # not answered
            v = truth[k]
            if isinstance(v, list):
                v = [[written(x) for x in row] if isinstance(row, list) else written(row) for row in v]
            else:
                v = written(v)
            if rng.random() < 0.05:  # a slip: the sign, or a digit
                if isinstance(v, list):
                    v = [-x if not isinstance(x, list) else x for x in v]
                else:
                    v = -v if rng.random() < 0.5 else v + 0.0001
            answers[k] = v
        with open(os.path.join(OUT, "student%03d.json" % n), "w") as f:
            json.dump(answers, f, indent=1)
    cmd = [a.binary, "check", "--example", "gomez", OUT, "--format", "gradebook"]
    times = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t0)
        if r.returncode not in (0, 1):
            sys.exit("grading failed (%d): %s" % (r.returncode, r.stderr.decode()[:500]))
    rows = r.stdout.decode().count("\n") - 1
    median = statistics.median(times)
    print("grading %d answers files (%d rows): %.3f s median of %d (min %.3f, max %.3f); limit %.1f s"
          % (a.files, rows, median, a.repeat, min(times), max(times), a.limit))
    if median > a.limit:
        sys.exit(1)


if __name__ == "__main__":
    main()
