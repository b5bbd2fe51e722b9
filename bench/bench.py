#!/usr/bin/env python3
"""make bench / make bench-smoke: times lstm-grad against bench/reference_numpy.py in one run.

usage: bench.py --binary PATH [--smoke] [--repeat N] [--torch-python PYTHON]
Specs come from bench/gen_spec.py with a fixed seed (written to bench/out/). For every size it
measures whole-process `run` (text, --format json, --summary), the split parse / forward /
backward / render (--timings), peak memory (wait4 rusage), GFLOP/s, and the numpy program's
parse / compute / whole-process time (and the PyTorch program's, when PYTHON imports torch);
checks they agree on the loss and every gradient block's sum; prints the ratios lstm-grad /
numpy and lstm-grad / PyTorch, memory against what the run needs, each time against the
machine's floor (memory bandwidth, DGEMM rate, measured with numpy first), and the scaling rows
(T = 10^4, 10^5 at H = 64; H = 1024 at T = 1000). Exits 1 if they disagree.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
FULL = [(1, 2, 2), (16, 8, 100), (64, 32, 1000), (256, 128, 1000), (1024, 256, 200)]
SMOKE = [(1, 2, 2), (16, 8, 100)]
SCALING = [(64, 32, 1000), (64, 32, 10000), (64, 32, 100000), (1024, 256, 1000)]
RUNTIME_MIB = 12.0  # the Swift runtime's own resident memory (a 1-step spec)
# The batched size (H, X, T, B), timed beside PyTorch's nn.LSTM (float64, CPU autograd).
BATCHED_FULL = [(256, 128, 100, 32)]
BATCHED_SMOKE = [(16, 8, 20, 4)]
TIME = "/usr/bin/time"


def run(cmd, stdout=subprocess.DEVNULL, env=None):
    """Runs cmd; returns (seconds, peak RSS in MiB, stdout bytes or None, stderr text)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env)
    out = p.stdout.read() if stdout == subprocess.PIPE else None
    err = p.stderr.read().decode()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit("bench: %s failed (%d): %s" % (" ".join(cmd), p.returncode, err.strip()))
    return dt, ru.ru_maxrss / 1024.0, out, err


def median_time(cmd, repeat):
    times = []
    for _ in range(repeat):
        dt, _, _, _ = run(cmd)
        times.append(dt)
    return statistics.median(times), peak_rss(cmd)


def peak_rss(cmd):
    """Peak RSS in MiB of one run, measured by /usr/bin/time when present: a child forked from
    this (large) Python process reports the parent's RSS as its own maximum."""
    if os.path.exists(TIME):
        report = os.path.join(OUT, "time.txt")
        subprocess.run([TIME, "-f", "%M", "-o", report] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        with open(report) as f:
            return int(f.read().split()[-1]) / 1024.0
    return run(cmd)[1]


def timings(stderr):
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", stderr)}


def spec_path(H, X, T):
    path = os.path.join(OUT, "spec-%d-%d-%d.json" % (H, X, T))
    if not os.path.exists(path):
        with open(path, "w") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "gen_spec.py"), str(H), str(X), str(T)], stdout=f, check=True)
    return path


def ms(s):
    return "%.1f" % (s * 1e3) if s < 10 else "%.0f" % (s * 1e3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--torch-python", default=sys.executable,
                    help="the Python that imports torch for the batched size's PyTorch column")
    ap.add_argument("--batched-only", action="store_true",
                    help="time only the batched size against PyTorch (about a minute)")
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    if a.batched_only:
        binary = os.path.abspath(a.binary)
        print("lstm-grad benchmark (batched size only): %s" % binary)
        print("machine: %s, %d cores; load average before: %s" % (cpu_name(), os.cpu_count(), load()))
        failures = batched(binary, a, BATCHED_SMOKE if a.smoke else BATCHED_FULL)
        print("load average after: %s" % load())
        if failures:
            print("bench: lstm-grad and PyTorch disagree (%d values)" % failures)
            sys.exit(1)
        return
    sizes = SMOKE if a.smoke else FULL
    binary = os.path.abspath(a.binary)
    have_numpy = subprocess.run([sys.executable, "-c", "import numpy"], stderr=subprocess.DEVNULL).returncode == 0
    print("lstm-grad benchmark (%s): %s" % ("smoke" if a.smoke else "full", binary))
    print("machine: %s, %d cores; load average before: %s" % (cpu_name(), os.cpu_count(), load()))
    if not have_numpy:
        print("note: numpy is not importable by %s; the numpy columns are skipped" % sys.executable)
    torch_python = a.torch_python if not a.smoke else None
    if torch_python and subprocess.run([torch_python, "-c", "import torch"], stderr=subprocess.DEVNULL).returncode != 0:
        print("note: torch is not importable by %s; the PyTorch columns are skipped (make bench TORCH_PYTHON=...)" % torch_python)
        torch_python = None
    floors = machine_floors() if have_numpy and not a.smoke else None
    if floors:
        print("machine floors (numpy): memory bandwidth %.1f GB/s (copy of 256 MB), DGEMM %.1f GFLOP/s (1024×1024 product)"
              % (floors["bandwidth"] / 1e9, floors["dgemm"] / 1e9))
    print("GFLOP = 24·T·H·(H+X)/1e9: 2·4H·(X+H) per step forward (W·x, U·out) and 2·4H·(2H+2X) backward"
          " (Uᵀ·δ, δU, δW, δx); elementwise work not counted")
    print()

    # Start-up: a trivial Swift binary against the homework spec end to end.
    trivial = os.path.join(os.path.dirname(binary), "bench-trivial")
    if not os.path.exists(trivial) and shutil.which("swiftc"):
        src = os.path.join(OUT, "trivial.swift")
        with open(src, "w") as f:
            f.write('print("hello")\n')
        subprocess.run(["swiftc", "-O", src, "-o", trivial], check=True)
    homework = os.path.join(ROOT, "fixtures", "gomez.json")
    n = max(a.repeat * 4, 10)
    hw, _ = median_time([binary, "run", homework], n)
    if os.path.exists(trivial):
        tr, _ = median_time([trivial], n)
        print("start-up: trivial Swift binary %s ms, homework spec end to end %s ms: ratio %.2f (target ≤ 2)"
              % (ms(tr), ms(hw), hw / tr))
    else:
        print("start-up: homework spec end to end %s ms (no swiftc to build the trivial binary)" % ms(hw))
    print()

    rows = []
    failures = 0
    for (H, X, T) in sizes:
        spec = spec_path(H, X, T)
        big = H * (H + X) * T > 10 ** 8
        rep = 1 if big else a.repeat
        r = {"size": "(%d,%d,%d)" % (H, X, T), "mb": os.path.getsize(spec) / 1e6}
        r["text"], r["text_rss"] = median_time([binary, "run", spec], rep)
        r["json"], _ = median_time([binary, "run", spec, "--format", "json"], rep)
        r["summary"], r["summary_rss"] = median_time([binary, "run", spec, "--summary"], rep)
        best = None
        for _ in range(rep):
            _, _, out, err = run([binary, "run", spec, "--summary", "--format", "json", "--timings"], stdout=subprocess.PIPE)
            t = timings(err)
            if best is None or t["forward"] + t["backward"] < best[0]["forward"] + best[0]["backward"]:
                best = (t, json.loads(out))
        r["t"], ours = best
        # The same with threads off (LSTM_GRAD_THREADS=1), best of the runs.
        one = None
        for _ in range(rep):
            _, _, _, err = run([binary, "run", spec, "--summary", "--timings"], env=dict(os.environ, LSTM_GRAD_THREADS="1"))
            t = timings(err)
            one = min(one or 1e300, (t["forward"] + t["backward"]) / 1e3)
        r["compute1"] = one
        _, _, _, err = run([binary, "run", spec, "--timings"])
        r["tfull"] = timings(err)
        # Numbers in the full text trace (counted once, on a captured run).
        if not big:
            _, _, text, _ = run([binary, "run", spec], stdout=subprocess.PIPE)
            r["numbers"] = sum(1 for _ in re.finditer(rb"-?\d+\.\d+", text))
            del text
        r["compute"] = (r["t"]["forward"] + r["t"]["backward"]) / 1e3
        r["gflop"] = 24.0 * T * H * (H + X) / 1e9
        r["stored_mb"] = 8 * (7 * T * H + T * X) / 2 ** 20
        r["params_mb"] = 8 * 4 * H * (X + H + 1) / 2 ** 20
        if have_numpy:
            nbest = None
            for _ in range(max(1, min(rep, 3))):
                dt, nrss, out, _ = run([sys.executable, os.path.join(HERE, "reference_numpy.py"), spec], stdout=subprocess.PIPE)
                d = json.loads(out)
                d["whole"] = dt
                d["rss"] = peak_rss([sys.executable, os.path.join(HERE, "reference_numpy.py"), spec]) if nbest is None else nbest["rss"]
                if nbest is None or d["compute_seconds"] < nbest["compute_seconds"]:
                    nbest = d
            r["np"] = nbest
            bad = compare(ours, nbest)
            r["agree"] = not bad
            for line in bad:
                print("DISAGREE %s: %s" % (r["size"], line))
            failures += len(bad)
        if torch_python:
            tbest = None
            for _ in range(max(1, min(rep, 3))):
                _, _, out, _ = run([torch_python, os.path.join(HERE, "reference_torch.py"), spec], stdout=subprocess.PIPE)
                d = json.loads(out)
                if tbest is None or d["compute_seconds"] < tbest["compute_seconds"]:
                    tbest = d
            r["torch"] = tbest
            for line in compare(ours, tbest):
                print("DISAGREE (PyTorch) %s: %s" % (r["size"], line))
                failures += 1
        r["H"], r["X"], r["T"] = H, X, T
        rows.append(r)

    print("times in ms (whole process = fork to exit, median of %d runs; 1 run where T·H·(H+X) > 1e8)" % a.repeat)
    head = ["size", "spec MB", "text", "json", "summary", "parse", "forward", "backward", "compute 1 thread", "render(text)",
            "GFLOP/s", "peak MiB (summary/text)", "act+param MiB", "numpy peak MiB"]
    if have_numpy:
        head += ["numpy parse", "numpy compute", "numpy whole", "compute ratio", "summary/numpy whole", "agree"]
    table = [head]
    for r in rows:
        row = [r["size"], "%.2f" % r["mb"], ms(r["text"]), ms(r["json"]), ms(r["summary"]),
               "%.1f" % r["t"]["parse"], "%.1f" % r["t"]["forward"], "%.1f" % r["t"]["backward"], "%.1f" % (r["compute1"] * 1e3),
               "%.1f" % r["tfull"]["render"], "%.2f" % (r["gflop"] / r["compute"]) if r["compute"] > 0 else "-",
               "%.0f / %.0f" % (r["summary_rss"], r["text_rss"]), "%.1f" % (r["stored_mb"] + r["params_mb"]),
               "%.0f" % r["np"]["rss"] if "np" in r else "-"]
        if have_numpy:
            npd = r["np"]
            row += [ms(npd["parse_seconds"]), ms(npd["compute_seconds"]), ms(npd["whole"]),
                    "%.2f" % (r["compute"] / npd["compute_seconds"]), "%.2f" % (r["summary"] / npd["whole"]),
                    "yes" if r["agree"] else "NO"]
        table.append(row)
    widths = [max(len(str(row[k])) for row in table) for k in range(len(head))]
    for k, row in enumerate(table):
        print("| " + " | ".join(str(c).rjust(widths[j]) for j, c in enumerate(row)) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print()
    if have_numpy:
        print_ratios(rows, floors)
    print()
    for r in rows:
        if "numbers" in r and r["tfull"]["render"] > 0:
            print("output %s: %d numbers in the text trace, render %.1f ms: %.1f M numbers/s"
                  % (r["size"], r["numbers"], r["tfull"]["render"], r["numbers"] / r["tfull"]["render"] / 1e3))
    if not a.smoke:
        print()
        print_scaling(binary, floors)
    print("ratios are lstm-grad / numpy (below 1: lstm-grad faster); compute = forward + backward (two threads"
          " where the sizes pay for it; 'compute 1 thread' has LSTM_GRAD_THREADS=1); the split is the best of the runs")
    failures += batched(binary, a, BATCHED_SMOKE if a.smoke else BATCHED_FULL)
    print("load average after: %s" % load())
    if failures:
        print("bench: lstm-grad and numpy disagree (%d values)" % failures)
        sys.exit(1)


def need_mib(H, X, T, spec_bytes):
    """What `run --summary` must hold: the stored activations (gates 4H, state, tanh(state), out,
    Δ: 8·H per step, and the inputs), the parameters, and the spec's bytes."""
    act = 8 * (8 * T * H + T * X) / 2 ** 20
    par = 8 * 4 * H * (X + H + 1) / 2 ** 20
    return act, par, spec_bytes / 2 ** 20


def floor_seconds(H, X, T, floors):
    """The machine's floor for compute: U read once per step in each direction at the memory
    bandwidth (when 4H·H doubles do not fit a 1 MiB cache share; else nothing), plus the batched
    products (W·x_t, δW, δx, δU: 2·4H·(3X + H)·T flops) at the DGEMM rate."""
    u_bytes = 8 * 4 * H * H
    recurrent = 2 * T * u_bytes / floors["bandwidth"] if u_bytes > 2 ** 20 else 0.0
    batched = 2 * 4 * H * (3 * X + H) * T / floors["dgemm"]
    return recurrent + batched


def print_ratios(rows, floors):
    head = ["size", "parse", "MB/s", "numpy parse", "parse ratio", "compute", "numpy compute", "compute ratio",
            "PyTorch compute", "ratio to PyTorch", "floor", "compute/floor", "peak MiB", "need MiB", "peak/need", "target peak"]
    table = [head]
    for r in rows:
        if "np" not in r:
            continue
        act, par, sb = need_mib(r["H"], r["X"], r["T"], r["mb"] * 1e6)
        need = act + par + sb
        fl = floor_seconds(r["H"], r["X"], r["T"], floors) if floors else None
        tc = r["torch"]["compute_seconds"] if "torch" in r else None
        parse = r["t"]["parse"] / 1e3
        table.append([r["size"], ms(parse), "%.0f" % (r["mb"] / parse) if parse > 0 else "-", ms(r["np"]["parse_seconds"]),
                      "%.2f" % (parse / r["np"]["parse_seconds"]), ms(r["compute"]), ms(r["np"]["compute_seconds"]),
                      "%.2f" % (r["compute"] / r["np"]["compute_seconds"]),
                      ms(tc) if tc else "-", "%.2f" % (r["compute"] / tc) if tc else "-",
                      ms(fl) if fl and fl > 1e-4 else "-", "%.1f" % (r["compute"] / fl) if fl and fl > 1e-4 else "-",
                      "%.0f" % r["summary_rss"], "%.0f" % need, "%.2f" % (r["summary_rss"] / need) if need >= 1 else "-",
                      "%.0f" % (1.5 * need + RUNTIME_MIB)])
    print("ratios, one run (times in ms; parse = read + JSON + decode; compute = forward + backward; "
          "need = activations + parameters + spec bytes; target peak = 1.5 × need + %d MiB runtime)" % RUNTIME_MIB)
    widths = [max(len(str(row[k])) for row in table) for k in range(len(head))]
    for k, row in enumerate(table):
        print("| " + " | ".join(str(c).rjust(widths[j]) for j, c in enumerate(row)) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def print_scaling(binary, floors):
    """Time and memory against T at H = 64, and H = 1024 at T = 1000 (`run --summary`, one run each)."""
    head = ["size", "spec MB", "parse", "MB/s", "compute", "µs per step", "floor", "compute/floor", "peak MiB", "need MiB", "peak/need"]
    table = [head]
    for (H, X, T) in SCALING:
        spec = spec_path(H, X, T)
        mb = os.path.getsize(spec) / 1e6
        limits = ["--max-input", str(2 ** 31 - 1), "--max-memory", str(2 ** 34)]  # the 100 MB spec of T = 10^5
        _, _, _, err = run([binary, "run", spec, "--summary", "--timings"] + limits)
        t = timings(err)
        compute = (t["forward"] + t["backward"]) / 1e3
        rss = peak_rss([binary, "run", spec, "--summary"] + limits)
        need = sum(need_mib(H, X, T, mb * 1e6))
        fl = floor_seconds(H, X, T, floors) if floors else None
        table.append(["(%d,%d,%d)" % (H, X, T), "%.1f" % mb, ms(t["parse"] / 1e3), "%.0f" % (mb / (t["parse"] / 1e3)),
                      ms(compute), "%.1f" % (compute / T * 1e6), ms(fl) if fl else "-", "%.1f" % (compute / fl) if fl else "-",
                      "%.0f" % rss, "%.0f" % need, "%.2f" % (rss / need)])
    print("scaling (run --summary, one run each; linear in T when µs per step and peak/need stay flat)")
    widths = [max(len(str(row[k])) for row in table) for k in range(len(head))]
    for k, row in enumerate(table):
        print("| " + " | ".join(str(c).rjust(widths[j]) for j, c in enumerate(row)) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def batched(binary, a, sizes):
    """The batched sizes: lstm-grad's compute (--summary, forward + backward) against PyTorch's
    nn.LSTM forward + backward in float64 on the CPU, median of the runs; agreement of the loss
    and every block's sum. Returns the number of disagreements."""
    have_torch = subprocess.run([a.torch_python, "-c", "import torch"], stderr=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL).returncode == 0
    print()
    if not have_torch:
        print("note: torch is not importable by %s (make bench TORCH_PYTHON=...); the PyTorch column is skipped" % a.torch_python)
    failures = 0
    head = ["size (H,X,T,B)", "spec MB", "summary", "parse", "compute", "text compute"]
    if have_torch:
        head += ["PyTorch compute", "compute ratio", "agree"]
    table = [head]
    for (H, X, T, B) in sizes:
        path = os.path.join(OUT, "spec-%d-%d-%d-b%d.json" % (H, X, T, B))
        if not os.path.exists(path):
            with open(path, "w") as f:
                subprocess.run([sys.executable, os.path.join(HERE, "gen_spec.py"), str(H), str(X), str(T), "2026", str(B)],
                               stdout=f, check=True)
        rep = 3 if not a.smoke else 2
        whole, _ = median_time([binary, "run", path, "--summary"], rep)
        best = None
        for _ in range(rep):
            _, _, out, err = run([binary, "run", path, "--summary", "--format", "json", "--timings"], stdout=subprocess.PIPE)
            t = timings(err)
            if best is None or t["forward"] + t["backward"] < best[0]["forward"] + best[0]["backward"]:
                best = (t, json.loads(out))
        t, ours = best
        compute = (t["forward"] + t["backward"]) / 1e3
        # The full report's compute (every value kept and named), once.
        _, _, _, err = run([binary, "run", path, "--format", "json", "--timings", "--max-memory", str(1 << 34)])
        text_compute = timings(err)["compute"] / 1e3
        row = ["(%d,%d,%d,%d)" % (H, X, T, B), "%.2f" % (os.path.getsize(path) / 1e6), ms(whole), "%.1f" % t["parse"],
               ms(compute), ms(text_compute)]
        if have_torch:
            _, _, out, _ = run([a.torch_python, os.path.join(HERE, "reference_torch_batched.py"), path, "--repeat", str(rep)],
                               stdout=subprocess.PIPE)
            ref = json.loads(out)
            blocks = ours["blocks"]
            bad = []
            if abs(ours["loss"] - ref["loss"]) > 1e-9 * max(1.0, abs(ref["loss"])):
                bad.append("loss %r vs %r" % (ours["loss"], ref["loss"]))
            for name, s in ref["sums"].items():
                o = blocks.get(name + "@l0")
                if o is None or abs(o["sum"] - s) > 1e-9 * max(1.0, o["norm"] * o["count"] ** 0.5):
                    bad.append("%s sum %r vs %r" % (name, o and o["sum"], s))
            for line in bad:
                print("DISAGREE (%d,%d,%d,%d): %s" % (H, X, T, B, line))
            failures += len(bad)
            row += [ms(ref["compute_seconds"]), "%.2f" % (compute / ref["compute_seconds"]), "no" if bad else "yes"]
        table.append(row)
    print("batched sizes, times in ms: summary = whole process of run --summary; compute = its forward + backward (best"
          " of %d); text compute = the full report's compute phase (every value named), once" % (3 if not a.smoke else 2))
    widths = [max(len(str(row[k])) for row in table) for k in range(len(head))]
    for k, row in enumerate(table):
        print("| " + " | ".join(str(c).rjust(widths[j]) for j, c in enumerate(row)) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    if have_torch:
        print("compute ratio = lstm-grad compute / PyTorch compute (nn.LSTM, float64, CPU autograd, torch's own threads,"
              " best of the runs after a warm-up, as lstm-grad's compute)")
    return failures


def machine_floors():
    """Memory bandwidth (bytes/s: a 256 MB copy reads and writes 512 MB) and the DGEMM rate
    (flop/s of numpy's 1024×1024 product, its BLAS on every core), best of 3, through numpy."""
    code = ("import numpy as np, time, json\n"
            "a = np.ones(1 << 25); b = np.empty_like(a); bw = 0\n"
            "for _ in range(3):\n"
            "    t = time.perf_counter(); np.copyto(b, a); bw = max(bw, 2 * a.nbytes / (time.perf_counter() - t))\n"
            "m = np.random.default_rng(1).standard_normal((1024, 1024)); g = 0\n"
            "for _ in range(3):\n"
            "    t = time.perf_counter(); m @ m; g = max(g, 2 * 1024 ** 3 / (time.perf_counter() - t))\n"
            "print(json.dumps({'bandwidth': bw, 'dgemm': g}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    return json.loads(out)


def compare(ours, theirs):
    """Loss and every block's sum, to 1e−9 relative of the block's norm (sums may cancel)."""
    bad = []
    if abs(ours["loss"] - theirs["loss"]) > 1e-9 * max(1.0, abs(theirs["loss"])):
        bad.append("loss %r vs %r" % (ours["loss"], theirs["loss"]))
    for name, b in theirs["blocks"].items():
        o = ours["blocks"].get(name)
        if o is None:
            bad.append("%s missing" % name)
            continue
        scale = max(1e-300, b["norm"]) * max(1.0, o["count"] ** 0.5)
        if abs(o["sum"] - b["sum"]) > 1e-9 * scale or abs(o["norm"] - b["norm"]) > 1e-9 * max(1e-300, b["norm"]):
            bad.append("%s sum %r vs %r, norm %r vs %r" % (name, o["sum"], b["sum"], o["norm"], b["norm"]))
    return bad


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def load():
    try:
        return " ".join("%.2f" % x for x in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
