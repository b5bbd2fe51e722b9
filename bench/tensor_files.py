#!/usr/bin/env python3
"""make bench (part 2): reading weights from a ~100 MB tensor file.

usage: tensor_files.py --binary PATH [--megabytes N] [--repeat N]

Writes, in a temporary directory (removed afterwards; nothing is committed), an nn.LSTM state
dict of about N MB (float32; X = 1700, H = 1792 for 100 MB) as safetensors, as an uncompressed
.npz (numpy.savez) and as a compressed one (numpy.savez_compressed), each with a spec that reads
its weights from the file (T = 2, --summary), and reports `run --timings`' parse time: reading
the file, decoding every tensor to float64 and checking the spec (the compute and the rest are
printed beside it). Needs numpy only; the safetensors file is written by hand (its format is an
8-byte length, a JSON header and the raw data).
"""
import argparse
import json
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, a in tensors.items():
        data = np.ascontiguousarray(a, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for b in blobs:
            f.write(b)


def timed(cmd, repeat, status=0):
    """Median whole-process seconds (wall and CPU, user + system), median parse ms (from
    --timings, wall), and peak RSS in MiB."""
    walls, cpus, parses, rss = [], [], [], 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = p.stderr.read().decode()
        _, code, ru = os.wait4(p.pid, 0)
        walls.append(time.perf_counter() - t0)
        cpus.append(ru.ru_utime + ru.ru_stime)
        if os.waitstatus_to_exitcode(code) != status:
            sys.exit("tensor_files: %s failed: %s" % (" ".join(cmd), err.strip()))
        m = re.search(r"parse=([0-9.]+)", err)
        parses.append(float(m.group(1)) if m else float("nan"))
        rss = max(rss, ru.ru_maxrss / 1024.0)
    return statistics.median(walls), statistics.median(cpus), statistics.median(parses), rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--megabytes", type=float, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    # 4H(X + H) float32 numbers ≈ N MB, X ≈ 0.95 H.
    H = int(round((a.megabytes * 1e6 / 4 / 4 / 1.95) ** 0.5))
    X = int(round(0.95 * H))
    rng = np.random.default_rng(0)
    sd = {"lstm.weight_ih_l0": rng.uniform(-0.05, 0.05, (4 * H, X)).astype(np.float32),
          "lstm.weight_hh_l0": rng.uniform(-0.05, 0.05, (4 * H, H)).astype(np.float32),
          "lstm.bias_ih_l0": rng.uniform(-0.05, 0.05, 4 * H).astype(np.float32),
          "lstm.bias_hh_l0": rng.uniform(-0.05, 0.05, 4 * H).astype(np.float32)}
    work = tempfile.mkdtemp(prefix="lstm-grad-tensor-bench-")
    try:
        files = {"safetensors": "model.safetensors", "npz (savez)": "model.npz", "npz (savez_compressed)": "model-z.npz"}
        write_safetensors(os.path.join(work, files["safetensors"]), sd)
        np.savez(os.path.join(work, files["npz (savez)"]), **sd)
        np.savez_compressed(os.path.join(work, files["npz (savez_compressed)"]), **sd)
        x = rng.uniform(-1, 1, (2, X)).round(3).tolist()
        y = rng.uniform(-1, 1, (2, H)).round(3).tolist()
        print("reading an nn.LSTM state dict from a file: X = %d, H = %d, %d float32 numbers; T = 2, run --summary --timings"
              % (X, H, sum(v.size for v in sd.values())))
        print("load average %s (%d cores)" % (" ".join("%.2f" % l for l in os.getloadavg()), os.cpu_count()))
        print("read: a run that reads and checks the weights, then stops at a label of the wrong length (exit 2);")
        print("run: the whole run --summary (parse from --timings); numpy: np.load and astype(float64) of the same file")
        print("%-24s %7s %10s %9s %11s %10s %9s %9s %10s" % ("file", "MB", "read (s)", "cpu (s)", "parse (ms)", "run (s)", "cpu (s)",
                                                           "peak MiB", "numpy (s)"))
        for kind, name in files.items():
            spec = os.path.join(work, name + ".json")
            with open(spec, "w") as f:
                json.dump({"model": "lstm", "weights": {"file": name, "prefix": "lstm."}, "inputs": x, "labels": y}, f)
            size = os.path.getsize(os.path.join(work, name)) / 1e6
            stop = os.path.join(work, name + ".stop.json")
            with open(stop, "w") as f:
                json.dump({"model": "lstm", "weights": {"file": name, "prefix": "lstm."}, "inputs": x, "labels": y[:1]}, f)
            read, read_cpu, _, _ = timed([binary, "run", stop, "--summary"], a.repeat, status=2)
            wall, cpu, parse, rss = timed([binary, "run", spec, "--summary", "--timings", "--max-memory", str(8 << 30)], a.repeat)
            # numpy's own reading of the same file, for scale (safetensors: the raw data).
            t0 = time.perf_counter()
            if name.endswith(".npz"):
                with np.load(os.path.join(work, name)) as z:
                    [z[k].astype(np.float64) for k in z.files]
            else:
                np.fromfile(os.path.join(work, name), dtype=np.uint8)
            ref = time.perf_counter() - t0
            print("%-24s %7.1f %10.2f %9.2f %11.0f %10.2f %9.2f %9.0f %10.2f" % (kind, size, read, read_cpu, parse, wall, cpu, rss, ref))
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
